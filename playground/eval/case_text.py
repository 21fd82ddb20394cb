"""A case in words, as the window's detail pane shows it beside the answers: what was asked (each
prompt filled with the case's values, as sent) and what was expected (the expected answer and every
check that judges it, filled the same way)."""

from __future__ import annotations

from playground.eval.suite import Suite
from playground.llm.templates import fill


def asked(suite: Suite, index: int) -> str:
    """The prompts as sent for case ``index`` (one block per prompt when there are several), then
    the case's variables."""
    case = suite.cases[index]
    values = case.values()
    blocks = []
    for prompt in suite.prompts:
        lines = [f"system: {fill(prompt.system, values)}"] if prompt.system else []
        lines += [f"{m.role}: {fill(m.content, values)}" for m in prompt.messages]
        head = [f"— prompt {prompt.name} —"] if len(suite.prompts) > 1 else []
        blocks.append("\n".join(head + lines))
    prompts = "\n\n".join(blocks)
    variables = "\n".join(f"{{{{{name}}}}} = {value}" for name, value in case.vars.items())
    return "\n".join(part for part in (prompts, variables) if part)


def expected(suite: Suite, index: int) -> str:
    """The expected answer (if the case has one) and each check, the suite's and the case's own."""
    case = suite.cases[index]
    values = case.values()
    lines = [f"expected: {case.expected}"] if case.expected is not None else []
    checks = [k.substitute(lambda t: fill(t, values)).describe() for k in (*suite.checks, *case.checks)]
    lines += [f"• {c}" for c in checks]
    return "\n".join(lines) or "no expected answer and no check: any answer passes"
