"""The Jinja environment user templates run in: sandboxed, and bounded.

Jinja's sandbox stops templates reaching Python internals but not using up
the machine: `{{ 'a'*10**9 }}` is folded to a 1 GB constant while compiling,
`{% for a in [0]*10**8 %}` hangs it, nested loops and doubling strings run
for ever. BoundedEnvironment adds limits (class Limits):

* values a template computes (`*`, `+`, `**`, `%`, `~`, str.format, filters
  such as center/replace/join, str methods such as ljust/replace) are checked
  *before* they are built: at most `value_size` characters or items, integers
  of at most `int_bits` bits; `range()` gives at most `range_items` numbers.
  Intercepting `*`, `+`, `**` and `%` also stops Jinja folding them into
  constants at compile time, so compiling is bounded too.
* per document (class Budget, one per render): loop iterations over all
  loops together, characters of output (each `{{ }}` value plus each loop
  pass's literal XML), nesting of calls (macros calling themselves,
  recursive loops), and a wall clock checked in every loop pass, call,
  filter and operator — no signals, so it works in threads and worker
  processes alike.
* `{% include %}`, `{% import %}` and `{% extends %}` are refused when the
  template is parsed: a docgen template is one self-contained Word file, and
  there is no loader to fetch another.

A violation raises LimitExceeded; docgen.core.render turns it (and any other
error a template raises at run time) into a TemplateError naming the file and
the tag.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import types
from collections import abc, deque
from dataclasses import dataclass
from time import monotonic

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes, pass_context
from jinja2.filters import make_attrgetter
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import (
    SandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from jinja2.utils import Namespace, generate_lorem_ipsum
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

LOOP_FILTER = "docgen_bounded_loop"
CONCAT_FILTER = "docgen_bounded_concat"


@dataclass(frozen=True)
class Limits:
    range_items: int = 10_000  # numbers one range() may give
    value_size: int = 1_000_000  # characters (or items) of one value a template computes
    int_bits: int = 10_000  # bits of one integer a template computes (~3,000 digits)
    iterations: int = 200_000  # loop passes per document, all loops together
    output: int = 20_000_000  # characters of rendered XML per document
    depth: int = 50  # nested calls: macros, caller(), recursive loops
    seconds: float = 10.0  # wall clock per document


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """A template went over one of its Limits (message says which, in the author's terms)."""


class Budget:
    """What one document has used so far."""

    __slots__ = ("deadline", "depth", "iterations", "limits", "markup", "max_output", "output")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.iterations = 0
        self.output = 0
        self.markup = False  # a `{{ }}` value was markup (XML written as is): the renderer checks it all
        self.max_output = limits.output
        self.depth = 0
        self.deadline = monotonic() + limits.seconds

    def check_time(self) -> None:
        if monotonic() > self.deadline:
            raise LimitExceeded(f"the template ran for more than {self.limits.seconds:g} s and was stopped")

    def add_output(self, size: int) -> None:
        self.output += size
        if self.output > self.limits.output:
            raise LimitExceeded(f"the document would be more than {self.limits.output:,} characters of XML")

    def loop(self, iterable, charge: int, shape=0):
        """Iterate, counting each pass and the literal XML (`charge`) it writes.

        `shape` is the loop target's (0 for `x`, (0, 0) for `k, v`): a Sample gives items of that shape.
        """
        self.check_time()
        if isinstance(iterable, Sample):  # a trial render: two items, and no deeper than three calls
            iterable = [_shaped(shape)] * 2 if self.depth < 3 else []
        limit = self.limits.iterations
        for item in iterable:
            self.iterations += 1
            if self.iterations > limit:
                raise LimitExceeded(f"loops ran more than {limit:,} times in one document")
            if charge:
                self.output += charge
                if self.output > self.max_output:
                    self.add_output(0)  # raises, with the message
            if monotonic() > self.deadline:
                self.check_time()
            yield item


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("docgen_template_budget", default=None)
_current_budget = _BUDGET.get


@contextlib.contextmanager
def document_budget(limits: Limits):
    """The budget of one document; hooks find it through a context variable (thread- and process-safe)."""
    token = _BUDGET.set(Budget(limits))
    try:
        yield _BUDGET.get()
    finally:
        _BUDGET.reset(token)


def _limits() -> Limits:
    budget = _BUDGET.get()
    if budget is None:  # compile time: Jinja folding a constant
        return DEFAULT_LIMITS
    budget.check_time()
    return budget.limits


# --- sizes ----------------------------------------------------------------------------

_SEQUENCES = (str, bytes, bytearray, list, tuple)


def estimate(value, cap: int) -> int:
    """About how many characters str(value) takes; stops counting once past `cap`."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, abc.Mapping):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset, deque, abc.KeysView, abc.ValuesView, abc.ItemsView)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, Namespace):
            stack.append(object.__getattribute__(item, "_Namespace__attrs"))
        else:
            total += 100
        if total > cap:
            return total
    return total


def _too_big(size: int, limits: Limits, what: str) -> None:
    if size > limits.value_size:
        raise LimitExceeded(f"{what} would be {size:,} characters or items long; "
                            f"a template may build values of at most {limits.value_size:,}")


def _check_int(value, limits: Limits, what: str) -> None:
    if isinstance(value, int) and abs(value) > limits.value_size:
        raise LimitExceeded(f"{what} {value:,} is too large (at most {limits.value_size:,})")


def _check_result(result, source, limits: Limits, what: str) -> None:
    """After the fact: a result far larger than what it was made from."""
    if isinstance(result, _SEQUENCES) and len(result) > limits.value_size:
        if not (isinstance(source, abc.Sized) and len(result) <= 8 * len(source)):
            _too_big(len(result), limits, what)


# --- % formatting and str.format --------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def _percent_size(fmt: str, args, limits: Limits) -> int:
    """An upper bound of len(fmt % args)."""
    specs = _PERCENT_SPEC.findall(fmt)
    if any("*" in (width, precision) for width, precision in specs):
        raise LimitExceeded("`*` widths in % formatting are not allowed in templates")
    widest = max((int(w or 0) + int(p or 0) for w, p in specs if len(w) < 9 and len(p) < 9), default=0)
    if any(len(w) >= 9 or len(p) >= 9 for w, p in specs):
        widest = limits.value_size + 1
    values = list(args.values()) if isinstance(args, abc.Mapping) else list(args) if isinstance(args, tuple) else [args]
    largest = max((estimate(v, limits.value_size) for v in values), default=0)
    escaping = 6 if isinstance(fmt, Markup) else 1
    return len(fmt) + len(specs) * (largest * escaping + widest + 400)


class _BoundedFormatting:
    """str.format under the size limit: each field's width and value counted before it is built."""

    def vformat(self, format_string, args, kwargs):
        self._limits = _limits()
        self._room = self._limits.value_size - len(format_string)
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value, format_spec):
        digits = re.findall(r"\d+", format_spec)
        if any(len(d) > 8 for d in digits):
            raise LimitExceeded(f"format width {format_spec!r} is too large")
        width = max((int(d) for d in digits), default=0)
        self._room -= estimate(value, self._limits.value_size) + width + 400
        if self._room < 0:
            _too_big(self._limits.value_size - self._room, self._limits, "a str.format() result")
        return super().format_field(value, format_spec)


class _Formatter(_BoundedFormatting, SandboxedFormatter):
    pass


class _EscapeFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


# --- filters ---------------------------------------------------------------------------

def _arg(args, kwargs, index: int, name: str, default=None):
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _str_size(value, limits: Limits) -> int:
    return len(value) if isinstance(value, str) else estimate(value, limits.value_size)


def _filter_center(limits, value, args, kwargs):
    _check_int(_arg(args, kwargs, 0, "width", 80), limits, "center() width")


def _filter_indent(limits, value, args, kwargs):
    width = _arg(args, kwargs, 0, "width", 4)
    width = width if isinstance(width, int) else len(str(width)) if isinstance(width, str) else 100
    lines = str(value).count("\n") + 1 if isinstance(value, str) else estimate(value, limits.value_size)
    _too_big(_str_size(value, limits) + lines * max(width, 0), limits, "an indent() result")


def _replace_size(text: str, old, new, count, limits: Limits) -> int:
    old_len = len(old) if isinstance(old, str) else estimate(old, limits.value_size)
    new_len = len(new) if isinstance(new, str) else estimate(new, limits.value_size)
    times = text.count(old) if isinstance(old, str) and old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, new_len - old_len)


def _filter_replace(limits, value, args, kwargs):
    if isinstance(value, str):
        size = _replace_size(value, _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", ""),
                             _arg(args, kwargs, 2, "count"), limits)
        _too_big(size, limits, "a replace() result")


def _materialize(value, limits: Limits) -> list:
    items = []
    for item in value:
        items.append(item)
        if len(items) > limits.value_size:
            _too_big(len(items), limits, "a filtered sequence")
    return items


def _join_size(items, sep, limits: Limits) -> int:
    total = len(str(sep)) * max(len(items) - 1, 0)
    for item in items:
        total += estimate(item, limits.value_size)
        if total > limits.value_size:
            break
    return total


def _filter_format(limits, value, args, kwargs):
    if isinstance(value, str):
        _too_big(_percent_size(value, kwargs or tuple(args), limits), limits, "a format() result")


def _filter_wordwrap(limits, value, args, kwargs):
    wrap = _arg(args, kwargs, 2, "wrapstring") or "\n"
    _too_big(_str_size(value, limits) * (1 + len(str(wrap))), limits, "a wordwrap() result")


def _filter_tojson(limits, value, args, kwargs):
    indent = _arg(args, kwargs, 0, "indent") or 0
    if isinstance(indent, int) and indent > 16:
        raise LimitExceeded("tojson() indent is at most 16")
    _too_big(estimate(value, limits.value_size) * (2 + (indent if isinstance(indent, int) else 16)), limits,
             "a tojson() result")


def _stringified(limits, value, args, kwargs):
    if not isinstance(value, str):
        _too_big(estimate(value, limits.value_size), limits, "the text of a value")


def _filter_count(name: str):
    def check(limits, value, args, kwargs):
        _check_int(_arg(args, kwargs, 0, name), limits, f"the {name}")
    return check


_FILTER_CHECKS = {
    "center": _filter_center,
    "indent": _filter_indent,
    "replace": _filter_replace,
    "format": _filter_format,
    "wordwrap": _filter_wordwrap,
    "tojson": _filter_tojson,
    "batch": _filter_count("linecount"),
    "slice": _filter_count("slices"),
    "truncate": _filter_count("length"),
    **dict.fromkeys(["string", "e", "escape", "forceescape", "safe", "upper", "lower", "title", "capitalize",
                     "trim", "striptags", "urlize", "wordcount", "pprint", "urlencode", "xmlattr"], _stringified),
}


def _guard_filter(name: str, func):
    """The filter, checked: deadline, its arguments before, its result after."""
    if name in _FILTER_WRAPPERS:
        return _FILTER_WRAPPERS[name](func)
    check = _FILTER_CHECKS.get(name)
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        limits = _limits()
        value = args[skip] if len(args) > skip else None
        if check is not None and len(args) > skip:
            check(limits, value, args[skip + 1:], kwargs)
        result = func(*args, **kwargs)
        _check_result(result, value, limits, f"the result of |{name}")
        return result

    return guarded


def _guard_join(func):
    @functools.wraps(func)
    def join(eval_ctx, value, d="", attribute=None):
        limits = _limits()
        items = _materialize(value, limits)
        if attribute is not None:
            getter = make_attrgetter(eval_ctx.environment, attribute)
            items = [getter(item) for item in items]
        _too_big(_join_size(items, d, limits), limits, "a join() result")
        return func(eval_ctx, items, d)

    return join


def _guard_sum(func):
    @functools.wraps(func)
    def sum_(environment, iterable, attribute=None, start=0):
        limits = _limits()
        items = _materialize(iterable, limits)
        if attribute is not None:
            getter = make_attrgetter(environment, attribute)
            items = [getter(item) for item in items]
        if not isinstance(start, (int, float)) or any(isinstance(item, _SEQUENCES) for item in items):
            if len(items) > limits.range_items:
                raise LimitExceeded(f"sum() of more than {limits.range_items:,} sequences is not allowed")
            _too_big(sum(estimate(v, limits.value_size) for v in (start, *items)), limits, "a sum() result")
        return func(environment, items, start=start)

    return sum_


_FILTER_WRAPPERS = {"join": _guard_join, "sum": _guard_sum}


@pass_context
def _bounded_loop(context, iterable, charge=0, shape=0):
    budget = _BUDGET.get()
    if budget is None:
        raise LimitExceeded("templates run only while docgen renders them")
    return budget.loop(iterable, charge, shape)


@pass_context
def _bounded_concat(context, items):
    limits = _limits()
    size = 0
    for item in items:
        size += estimate(item, limits.value_size)
        _too_big(size, limits, "a `~` result")
    return markup_join(items) if context.eval_ctx.autoescape else str_join(items)


def _bounded_range(*args):
    numbers = range(*args)
    if len(numbers) > _limits().range_items:
        raise LimitExceeded(f"range() of {len(numbers):,} numbers; templates may use at most {_limits().range_items:,}")
    return numbers


def _bounded_lipsum(n=5, html=True, min=20, max=100):
    if not all(isinstance(v, int) for v in (n, min, max)) or n > 100 or max > 1000:
        raise LimitExceeded("lipsum() is limited to 100 paragraphs of at most 1,000 words")
    return generate_lorem_ipsum(n, html, min, max)


def _finalize(value):
    """Counts every `{{ }}` value against the document's output budget, before it becomes text.

    Runs for every value of every document, so it is kept lean: strings are
    measured, everything else estimated (a Word fragment by its plain text,
    without building its XML twice). It also notes a markup value (a Word
    fragment, `|safe`, a macro's output): only those put XML of their own into
    the document, and docgen.core.render checks such documents in full.
    """
    budget = _current_budget()
    if budget is not None:
        kind = type(value)
        if kind is str:
            budget.output += len(value)
        elif kind is int:
            budget.output += value.bit_length() // 3 + 2
        else:
            budget.output += _output_size(value, budget)
        if budget.output > budget.max_output:
            budget.add_output(0)  # raises, with the message
    if type(value) is str and ("{_" in value or "_}" in value) and _BRACE_ESCAPE.search(value):
        # docxtpl turns {_{ }_} {_% %_} into {{ }} {% %} in the rendered part (a template's way to
        # write a literal brace); a value's own "_" is written as a character reference, which
        # that replacement does not see and Word reads as "_": the value comes out as typed.
        return Markup(_BRACE_ESCAPE.sub("&#95;", str(escape(value))))
    return value


# The "_" of docxtpl's brace escapes ({_{ }_} {_% %_}), as docgen.core.markdown_xml splits them.
_BRACE_ESCAPE = re.compile(r"(?<=\{)_(?=[{%])|(?<=%)_(?=\})|(?<=\})_(?=\})")


def _output_size(value, budget: Budget) -> int:
    kind = type(value)
    if value is None or kind is float or kind is bool:
        return 24
    if hasattr(value, "__html__"):
        budget.markup = True
        return len(value) if isinstance(value, str) else len(str(value))
    if isinstance(value, str):
        return len(value)
    return estimate(value, budget.limits.output)


# --- str and list methods ------------------------------------------------------------------

def _check_method(method, args: tuple, kwargs, limits: Limits) -> tuple:
    """Checks a str/bytes/list method's arguments before it runs; returns them (an iterable to join, listed)."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        if name in ("ljust", "rjust", "center", "zfill"):
            _check_int(_arg(args, kwargs, 0, "width", 0), limits, f"{name}() width")
        elif name == "expandtabs":
            tabsize = _arg(args, kwargs, 0, "tabsize", 8)
            if isinstance(tabsize, int):
                _too_big(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * tabsize, limits,
                         "an expandtabs() result")
        elif name == "replace" and isinstance(owner, str) and len(args) >= 2:
            _too_big(_replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1, limits), limits,
                     "a replace() result")
        elif name == "join" and args:
            args = (_materialize(args[0], limits), *args[1:])
            _too_big(_join_size(args[0], owner, limits), limits, "a join() result")
        elif name == "translate" and args and isinstance(args[0], abc.Mapping):
            longest = max((estimate(v, limits.value_size) for v in args[0].values()), default=1)
            _too_big(len(owner) * max(longest, 1), limits, "a translate() result")
    elif isinstance(owner, (list, set, dict, deque)) and name in ("extend", "update", "union") and args:
        if isinstance(args[0], abc.Sized):
            _too_big(len(owner) + len(args[0]), limits, f"a {type(owner).__name__} after {name}()")
    return args


# --- the environment --------------------------------------------------------------------

class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with autoescape, StrictUndefined and the limits above."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True, finalize=_finalize)
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.filters = {name: _guard_filter(name, func) for name, func in self.filters.items()}
        self.filters[LOOP_FILTER] = _bounded_loop
        self.filters[CONCAT_FILTER] = _bounded_concat
        # tojson of a sample (trial render) prints it; every other value is serialized as Jinja does.
        self.policies["json.dumps_kwargs"] = {**self.policies["json.dumps_kwargs"], "default": _json_default}

    def getattr(self, obj, attribute):
        # `{{ g.items }}` reads the key, not dict.items (docxtpl templates say g.items for a field).
        if type(obj) is dict and type(attribute) is str:  # the common case, without the ABC checks below
            if attribute in obj:
                return obj[attribute]
        elif isinstance(obj, abc.Mapping) and isinstance(attribute, str) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator, left, right):
        limits = _limits()
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(times, int) and isinstance(sequence, (*_SEQUENCES, Sample)):
                    _too_big(len(sequence) * max(times, 0), limits, "a repeated value (`*`)")
            if isinstance(left, int) and isinstance(right, int):
                self._check_bits(left.bit_length() + right.bit_length(), limits)
        elif operator == "+":
            if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
                _too_big(len(left) + len(right), limits, "a joined value (`+`)")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                self._check_bits(left.bit_length() * right, limits)
        elif isinstance(left, str):  # %
            _too_big(_percent_size(left, right, limits), limits, "a %-formatted text")
        result = self.binop_table[operator](left, right)
        _check_result(result, None, limits, f"the result of `{operator}`")
        return result

    @staticmethod
    def _check_bits(bits: int, limits: Limits) -> None:
        if bits > limits.int_bits:
            raise LimitExceeded(f"a number of about {bits:,} bits; templates may compute numbers of at most "
                                f"{limits.int_bits:,} bits")

    def call(__self, __context, __obj, *args, **kwargs):
        budget = _BUDGET.get()
        if budget is None:
            raise LimitExceeded("templates run only while docgen renders them")
        budget.check_time()
        limits = budget.limits
        if isinstance(__obj, (types.BuiltinMethodType, types.MethodType)):
            args = _check_method(__obj, args, kwargs, limits)
        budget.depth += 1
        try:
            if budget.depth > limits.depth:
                raise LimitExceeded(f"calls nested more than {limits.depth} deep (a macro calling itself?)")
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if isinstance(__obj, types.BuiltinMethodType):
            _check_result(result, getattr(__obj, "__self__", None), limits, f"the result of {__obj.__name__}()")
        return result

    def wrap_str_format(self, value):
        """str.format / format_map, sandboxed as Jinja does it, and bounded."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in (
                "format", "format_map"):
            return None
        owner = value.__self__
        if not isinstance(owner, str):
            return None
        str_type = type(owner)
        formatter = _EscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup) else _Formatter(self)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args, **kwargs):
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return str_type(formatter.vformat(owner, args, kwargs))

        return functools.update_wrapper(wrapper, value)

    # -- parsing --------------------------------------------------------------------------

    def parse_bounded(self, source: str) -> nodes.Template:
        """Parse, refuse tags that reach other files, and route loops and `~` through the limits."""
        tree = self.parse(source)
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            tag = {"Extends": "extends", "Include": "include"}.get(type(node).__name__, "import")
            raise TemplateSyntaxError(
                f"{{% {tag} %}} is not allowed: a docgen template is one self-contained Word file",
                node.lineno)
        tree = _Bounder().visit(tree)
        tree.set_environment(self)
        return tree


class _Bounder(NodeTransformer):
    """Every loop iterates through Budget.loop; every `~` through the size check."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        node = self.generic_visit(node)
        charge, shape = _literal_size(node.body), _shape(node.target)
        node.iter = _filter(node.iter, LOOP_FILTER, charge, shape)
        if node.recursive:
            for call in _loop_calls(node.body):
                call.args[0] = _filter(call.args[0], LOOP_FILTER, charge, shape)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        node = self.generic_visit(node)
        return _filter(nodes.List(node.nodes, lineno=node.lineno), CONCAT_FILTER)


def _shape(target: nodes.Expr):
    """0 for one name, a tuple of shapes for `a, (b, c)`."""
    return tuple(_shape(item) for item in target.items) if isinstance(target, nodes.Tuple) else 0


def _filter(node: nodes.Expr, name: str, *args) -> nodes.Filter:
    return nodes.Filter(node, name, [nodes.Const(a, lineno=node.lineno) for a in args], [], None, None,
                        lineno=node.lineno)


def _literal_size(body: list[nodes.Node]) -> int:
    """Characters of template text one loop pass writes (nested loops count their own)."""
    size, stack = 0, list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            size += len(node.data)
        elif isinstance(node, nodes.For):
            stack.extend(node.else_)
        else:
            stack.extend(node.iter_child_nodes())
    return size


def _loop_calls(body: list[nodes.Node]):
    """`loop(…)` calls of a recursive loop (not those of loops nested in it)."""
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "loop" \
                and node.args:
            yield node
        if isinstance(node, nodes.For):
            stack.extend([node.iter, *node.else_])
        else:
            stack.extend(node.iter_child_nodes())


# --- sample values for a trial render ---------------------------------------------------------

_PROBED = frozenset({"unsafe_callable", "alters_data", "jinja_pass_arg", "jinja_async_variant"})


class Sample:
    """A stand-in for any value in `docgen templates check`'s trial render.

    Attributes, items, calls and arithmetic give the sample back, iterating
    gives two samples, comparisons are false, and it prints as 示例 — so a
    template runs through every loop without real data, and what fails is the
    template's own doing (1/0, range(10**9), a macro calling itself, limits).
    A loop over a sample gives items shaped like its target (`{% for k, v in x %}` gets pairs).
    """

    __slots__ = ()

    def __getattr__(self, name):
        if name.startswith("_") or name in _PROBED:  # what Jinja, the sandbox and markupsafe look for
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter((self, self))

    __reversed__ = __iter__

    def __len__(self) -> int:
        return 2

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return "示例"

    def __format__(self, spec: str) -> str:
        return "示例"

    def __int__(self) -> int:
        return 2

    __index__ = __int__

    def __float__(self) -> float:
        return 2.0

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other) -> bool:
        return other is self

    def __contains__(self, item) -> bool:
        return False

    def _same(self, *args):
        return self

    def _false(self, other) -> bool:
        return False

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _same
    __neg__ = __pos__ = __abs__ = __round__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = _false


def _json_default(value):
    if isinstance(value, Sample):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _shaped(shape):
    return Sample() if shape == 0 else tuple(_shaped(item) for item in shape)


def sample_context(names) -> dict:
    return {name: Sample() for name in names}

