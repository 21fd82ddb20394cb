"""A subset of promptfoo's YAML configuration, read into our Suite.

Supported: ``description``; ``prompts`` (strings, ``file://`` .txt/.md, ``file://`` .json chat arrays,
``{raw, label}``); ``providers`` (``openai:[chat:]MODEL`` and ``anthropic:[messages:]MODEL``, or any
prefix given an endpoint with ``--map``; ``{id, label, config}`` with sampling parameters);
``tests`` (inline, or ``file://`` .csv with ``__expected``/``__description``); ``defaultTest``
(``vars``, ``assert``); ``evaluateOptions.repeat``; assertions equals, (i)contains, (i)contains-any,
(i)contains-all, not-(i)contains, regex, starts-with, is-json (with a schema), latency, cost,
is-valid-openai-tools-call (the suite's tools from the provider's config), llm-rubric (graded by
``defaultTest.options.provider``).
Everything else is listed as unsupported, and the suite does not run: its results would mean
something else. Settings that change no result (output paths, sharing, progress bar) are listed as
ignored. PyYAML reads the file: promptfoo files are YAML, which the standard library cannot read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from playground.compare.columns import Column
from playground.eval.checks import Check, Kind
from playground.eval.suite import Case, Loaded, Prompt, Suite, SuiteError, read_cases
from playground.llm.request import Message

DEFAULT_ENDPOINTS = {"openai": "openai", "anthropic": "anthropic"}
_MODEL_KINDS = {"openai": ("chat",), "anthropic": ("messages",)}
_PARAMS = {"temperature", "max_tokens", "top_p", "stop", "seed", "frequency_penalty", "presence_penalty"}
_IGNORED_TOP = {"tags", "outputPath", "sharing", "writeLatestResults", "metadata", "env"}
_IGNORED_OPTIONS = {"showProgressBar", "cache", "maxConcurrency", "delay"}
_TEXT_ASSERTS = {
    "equals": (Kind.EQUALS, False),
    "contains": (Kind.CONTAINS, False),
    "icontains": (Kind.CONTAINS, True),
    "contains-any": (Kind.CONTAINS_ANY, False),
    "icontains-any": (Kind.CONTAINS_ANY, True),
    "contains-all": (Kind.CONTAINS_ALL, False),
    "icontains-all": (Kind.CONTAINS_ALL, True),
    "not-contains": (Kind.NOT_CONTAINS, False),
    "not-icontains": (Kind.NOT_CONTAINS, True),
    "regex": (Kind.REGEX, False),
    "starts-with": (Kind.STARTS_WITH, False),
}
_NUNJUCKS = re.compile(r"\{%|\{\{[^}]*\|")


class _Reader:
    def __init__(self, folder: Path, endpoint_map: Mapping[str, str]):
        self.folder = folder
        self.endpoints = {**DEFAULT_ENDPOINTS, **endpoint_map}
        self.unsupported: list[str] = []
        self.ignored: list[str] = []

    def no(self, what: str) -> None:
        self.unsupported.append(what)

    # --- prompts ----------------------------------------------------------------------------------

    def prompts(self, raw: Any) -> list[Prompt]:
        items = raw if isinstance(raw, list) else [raw]
        out = []
        for i, item in enumerate(items, 1):
            label = f"prompt {i}"
            if isinstance(item, dict):
                label = str(item.get("label") or item.get("id") or label)
                if extra := sorted(set(item) - {"raw", "label", "id"}):
                    self.no(f"prompt {label!r}: field(s) {', '.join(extra)}")
                item = item.get("raw", item.get("id"))
            if not isinstance(item, str):
                self.no(f"prompt {i}: {item!r}")
                continue
            prompt = self._prompt_text(item, label)
            if prompt is not None:
                if any(_NUNJUCKS.search(t) for t in prompt.texts()):
                    self.no(f"prompt {label!r}: Nunjucks tags or filters ({{% %}}, {{{{ x | f }}}})")
                out.append(prompt)
        return out

    def _prompt_text(self, text: str, label: str) -> Prompt | None:
        if not text.startswith("file://"):
            return Prompt(label, (Message("user", text),))
        path = self.folder / text.removeprefix("file://")
        if path.suffix.lower() not in (".txt", ".md", ".json"):
            self.no(f"prompt {text}: only .txt, .md and .json chat prompt files")
            return None
        body = self._read(path)
        if body is None:
            return None
        if path.suffix.lower() != ".json":
            return Prompt(path.name, (Message("user", body),))
        try:
            chat = json.loads(body)
            system = "\n\n".join(m["content"] for m in chat if m["role"] == "system")
            messages = tuple(Message(m["role"], m["content"]) for m in chat if m["role"] != "system")
        except (ValueError, TypeError, KeyError):
            self.no(f"prompt {text}: a chat prompt is a JSON list of {{role, content}}")
            return None
        if any(m.role not in ("user", "assistant") for m in messages):
            self.no(f"prompt {text}: roles other than system, user and assistant")
            return None
        return Prompt(path.name, messages, system)

    def _read(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SuiteError([f"cannot read {path}: {exc}"]) from None

    # --- providers ----------------------------------------------------------------------------------

    def providers(self, raw: Any) -> list[Column]:
        items = raw if isinstance(raw, list) else [raw]
        out = []
        for item in items:
            config: dict[str, Any] = {}
            if isinstance(item, dict):
                if extra := sorted(set(item) - {"id", "label", "config"}):
                    self.no(f"provider {item.get('id')!r}: field(s) {', '.join(extra)}")
                config = dict(item.get("config") or {})
                item = item.get("id")
            if not isinstance(item, str):
                self.no(f"provider {item!r}")
                continue
            column = self._provider(item, config)
            if column is not None:
                out.append(column)
        return out

    def _provider(self, ident: str, config: dict[str, Any]) -> Column | None:
        prefix, _, rest = ident.partition(":")
        if not rest or prefix not in self.endpoints:
            self.no(f"provider {ident!r}: give it an endpoint with --map {prefix}=ENDPOINT")
            return None
        kind, sep, model = rest.partition(":")
        if sep and kind in _MODEL_KINDS.get(prefix, ()):
            rest = model
        elif sep and prefix in _MODEL_KINDS:
            self.no(f"provider {ident!r}: only {prefix}:{'/'.join(_MODEL_KINDS[prefix])} models")
            return None
        if extra := sorted(set(config) - _PARAMS - {"tools"}):
            self.no(f"provider {ident!r}: config {', '.join(extra)}")
        params = {k: v for k, v in config.items() if k in _PARAMS}
        if "tools" in config:
            tools = self._tools(ident, config["tools"])
            if tools is not None:
                params["tools"] = tools
        return Column(self.endpoints[prefix], rest, params)

    def grader(self, options: Any) -> Column | None:
        """``defaultTest.options.provider``: the model that grades llm-rubric assertions."""
        if not options:
            return None
        if not isinstance(options, dict):
            self.no("defaultTest.options")
            return None
        if extra := sorted(set(options) - {"provider"}):
            self.no(f"defaultTest.options: field(s) {', '.join(extra)}")
        provider = options.get("provider")
        if isinstance(provider, dict):
            provider = provider.get("id")
        return self._provider(str(provider), {}) if provider else None

    def _tools(self, ident: str, raw: Any) -> dict[str, Any] | None:
        """A provider's ``config.tools`` (OpenAI or Anthropic format) as our tool set, offered with
        choice auto; a bad definition is listed, and the suite does not run."""
        from playground.llm.errors import PlaygroundError
        from playground.llm.tools import ToolSet, read_file

        try:
            return ToolSet(tuple(read_file(json.dumps(raw)))).to_dict()
        except (PlaygroundError, TypeError, ValueError) as exc:
            self.no(f"provider {ident!r}: tools: {exc}")
            return None

    # --- tests and assertions -------------------------------------------------------------------

    def cases(self, raw: Any) -> list[Case]:
        if isinstance(raw, str):
            return self._case_file(raw)
        out = []
        for i, test in enumerate(raw if isinstance(raw, list) else [], 1):
            if isinstance(test, str):
                out += self._case_file(test)
                continue
            if not isinstance(test, dict):
                self.no(f"test {i}: {test!r}")
                continue
            where = f"test {i}" + (f" ({test['description']})" if test.get("description") else "")
            if extra := sorted(set(test) - {"vars", "assert", "description", "metadata"}):
                self.no(f"{where}: field(s) {', '.join(extra)}")
            out.append(
                Case(
                    self.variables(test.get("vars"), where),
                    None,
                    self.asserts(test.get("assert"), where),
                    str(test.get("description") or ""),
                )
            )
        return out

    def variables(self, raw: Any, where: str) -> dict[str, str]:
        out = {}
        for name, value in (raw or {}).items() if isinstance(raw, dict) else ():
            if isinstance(value, (list, dict)):
                self.no(
                    f"{where}: var {name} holds a list or table (promptfoo expands those into many tests)"
                )
            elif isinstance(value, str) and value.startswith("file://"):
                self.no(f"{where}: var {name} from a file")
            else:
                out[str(name)] = value if isinstance(value, str) else json.dumps(value)
        if raw is not None and not isinstance(raw, dict):
            self.no(f"{where}: vars {raw!r}")
        return out

    def _case_file(self, ref: str) -> list[Case]:
        path = self.folder / ref.removeprefix("file://")
        if path.suffix.lower() != ".csv":
            self.no(f"tests {ref}: only a CSV file of tests")
            return []
        cases = read_cases(path)
        out = []
        for n, case in enumerate(cases, 1):
            variables = dict(case.vars)
            name = variables.pop("__description", "") or case.name
            expected = variables.pop("__expected", "")
            for key in [k for k in variables if k.startswith("__")]:
                self.no(f"{path.name}: column {key}")
                variables.pop(key)
            checks = self.asserts([_grader(expected)], f"{path.name} row {n + 1}") if expected else ()
            out.append(Case(variables, None, checks, name))
        return out

    def asserts(self, raw: Any, where: str) -> tuple[Check, ...]:
        out = []
        for item in raw if isinstance(raw, list) else []:
            check = self._assert(item, where) if isinstance(item, dict) else None
            if check is not None:
                out.append(check)
            elif not isinstance(item, dict):
                self.no(f"{where}: assertion {item!r}")
        return tuple(out)

    def _assert(self, item: dict[str, Any], where: str) -> Check | None:
        kind = str(item.get("type", ""))
        extra = sorted(set(item) - {"type", "value", "threshold"})
        if item.get("weight") in (None, 1):
            extra = [e for e in extra if e != "weight"]
        if extra:
            self.no(f"{where}: assertion {kind}: field(s) {', '.join(extra)}")
        value, threshold = item.get("value"), item.get("threshold")
        if kind in ("latency", "cost"):
            limit = Kind.DURATION_MS if kind == "latency" else Kind.COST_USD
            return Check(limit, threshold)
        if threshold is not None:
            self.no(f"{where}: assertion {kind}: threshold")
        if kind in _TEXT_ASSERTS:
            check_kind, fold = _TEXT_ASSERTS[kind]
            if kind == "equals" and isinstance(value, (dict, list)):
                self.no(f"{where}: equals with a JSON value")
                return None
            return Check(check_kind, value, ignore_case=fold)
        if kind == "is-json":
            return Check(Kind.JSON_SCHEMA, value) if value else Check(Kind.IS_JSON)
        if kind == "llm-rubric" and isinstance(value, str) and value.strip():
            return Check(Kind.RUBRIC, value)  # judged by defaultTest.options.provider (or --grader)
        if kind == "is-valid-openai-tools-call" and value is None:
            return Check(Kind.CALLED_TOOL)  # a tool called, every call's arguments valid for its tool
        self.no(f"{where}: assertion type {kind!r}")
        return None


def _grader(text: str) -> dict[str, Any]:
    """A CSV ``__expected`` cell: "type: value" for a few types, "is-json", or plain text (equals)."""
    for kind in ("icontains", "contains", "not-contains", "regex", "starts-with", "equals"):
        if text.startswith(f"{kind}:"):
            return {"type": kind, "value": text[len(kind) + 1 :].strip()}
    if text.strip() == "is-json":
        return {"type": "is-json"}
    if re.match(r"^[a-z-]+:", text):
        return {"type": text.split(":", 1)[0]}
    return {"type": "equals", "value": text}


def load_promptfoo(path: Path, endpoint_map: Mapping[str, str]) -> Loaded:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError([f"cannot read {path}: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise SuiteError([f"{path.name} is not valid YAML: {' '.join(str(exc).split())}"]) from None
    if not isinstance(data, dict):
        raise SuiteError([f"{path.name}: a promptfoo configuration is a mapping"])
    reader = _Reader(path.parent, endpoint_map)
    known = {"description", "prompts", "providers", "tests", "defaultTest", "evaluateOptions"}
    for key in sorted(set(data) - known):
        (reader.ignored if key in _IGNORED_TOP else reader.unsupported).append(f"top-level {key}")
    prompts = reader.prompts(data.get("prompts") or [])
    targets = reader.providers(data.get("providers") or [])
    default = data.get("defaultTest") or {}
    if not isinstance(default, dict):
        reader.no("defaultTest from a file")
        default = {}
    if extra := sorted(set(default) - {"vars", "assert", "options"}):
        reader.no(f"defaultTest: field(s) {', '.join(extra)}")
    grader = reader.grader(default.get("options"))
    shared_vars = reader.variables(default.get("vars"), "defaultTest")
    shared_checks = reader.asserts(default.get("assert"), "defaultTest")
    cases = [
        Case({**shared_vars, **c.vars}, c.expected, c.checks, c.name) for c in reader.cases(data.get("tests"))
    ]
    options = data.get("evaluateOptions") or {}
    repeats = options.get("repeat", 1) if isinstance(options, dict) else 1
    for key in sorted(set(options) - {"repeat"}) if isinstance(options, dict) else ():
        (reader.ignored if key in _IGNORED_OPTIONS else reader.unsupported).append(f"evaluateOptions.{key}")
    name = str(data.get("description") or path.stem)
    suite = Suite(
        name, tuple(prompts), tuple(targets), tuple(cases), shared_checks, int(repeats), grader=grader
    )
    return Loaded(suite, tuple(reader.unsupported), tuple(reader.ignored))
