"""Reads template.yaml and resolves the intrinsic functions firmchat uses."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads `!Ref x` as {"Ref": x}, `!Sub s` as {"Fn::Sub": s}, and so on."""


def _tag(name: str) -> Any:
    def construct(loader: _CfnLoader, node: yaml.Node) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "Fn::GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    return construct


for _short in ("Ref", "Condition"):
    _CfnLoader.add_constructor(f"!{_short}", _tag(_short))
for _short in ("Sub", "GetAtt", "If", "Equals", "Join", "Select", "Split", "Not", "And", "Or"):
    _CfnLoader.add_constructor(f"!{_short}", _tag(f"Fn::{_short}"))


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open() as source:
        document: dict[str, Any] = yaml.load(source, Loader=_CfnLoader)  # noqa: S506 (safe subclass)
    return document


# What the local cloud deploys with: the origin its portal runs on, and the password sign-in
# client its tools and tests use (template.yaml, `LocalToolingClient`).
LOCAL_PARAMETERS = {"PortalOrigin": "http://localhost:5173", "LocalTooling": "true"}
# `!Ref AWS::NoValue`: the item is left out of its list.
_NO_VALUE = object()


@dataclass
class Resolver:
    """Resolves values against parameters and the physical ids the local cloud gave resources.

    `refs` maps a logical id to what `!Ref` yields; `attributes` maps (logical id, attribute)
    to what `!GetAtt` yields. Pseudo parameters answer as AWS would for the local account.
    """

    template: Mapping[str, Any]
    region: str = "us-east-1"
    account_id: str = "123456789012"
    parameters: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in LOCAL_PARAMETERS.items():
            self.parameters.setdefault(name, value)
        for name, spec in self.template.get("Parameters", {}).items():
            self.parameters.setdefault(name, str(spec.get("Default", "")))

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::Partition": "aws",
            "AWS::StackName": "firmchat-local",
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.refs:
            return self.refs[name]
        raise KeyError(f"the local cloud cannot resolve !Ref {name}")

    def get_att(self, logical_id: str, attribute: str) -> str:
        try:
            return self.attributes[(logical_id, attribute)]
        except KeyError:
            raise KeyError(
                f"the local cloud cannot resolve !GetAtt {logical_id}.{attribute}"
            ) from None

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.template["Conditions"][name]))

    def _substitute(self, text: str, local: Mapping[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in local:
                return str(self.resolve(local[name]))
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, value: Any) -> Any:  # noqa: PLR0911 (one branch per intrinsic)
        if isinstance(value, list):
            return [item for item in map(self.resolve, value) if item is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return _NO_VALUE if argument == "AWS::NoValue" else self.ref(argument)
            if key == "Fn::GetAtt":
                return self.get_att(*argument)
            if key == "Fn::Sub":
                text, local = (argument, {}) if isinstance(argument, str) else argument
                return self._substitute(text, local)
            if key == "Fn::If":
                name, when_true, when_false = argument
                return self.resolve(when_true if self.condition(name) else when_false)
            if key == "Fn::Equals":
                left, right = self.resolve(argument)
                return left == right
            if key == "Fn::Join":
                separator, items = argument
                return separator.join(str(item) for item in self.resolve(items))
            if key == "Condition":
                return self.condition(argument)
        return {key: self.resolve(item) for key, item in value.items()}


def resources_of_type(template: Mapping[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def function_events(template: Mapping[str, Any], kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(function logical id, event properties) of every `Events` entry of this `Type`."""
    for logical_id, function in resources_of_type(template, "AWS::Serverless::Function").items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == kind:
                yield logical_id, event.get("Properties", {})
