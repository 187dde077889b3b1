"""Client requirements: the intake step of the presales job.

Loading requirements files (YAML or the Excel intake form) into typed models,
validating them with every problem's place, writing the blank intake form and
the industry requirement analysis table (行业客户需求分析表).

May import: docgen.core.
"""
