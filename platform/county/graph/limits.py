"""Guards on what one GraphQL request may ask: depth and a cost estimate.

Cost counts every selected field, multiplied by the page size (`first`/`last`) of each list
it sits under, so a request cannot ask for 100 pages of 100 nested rows.
"""

from __future__ import annotations

from graphene.validation import depth_limit_validator
from graphql import GraphQLError, ValidationRule, specified_rules
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode

MAX_DEPTH = 10
MAX_COST = 20_000


MAX_PAGE = 100


def _page_size(node: FieldNode) -> int:
    """The page size a list field asks for; a variable counts as the largest page."""
    for arg in node.arguments or ():
        if arg.name.value in {"first", "last"}:
            if isinstance(arg.value, IntValueNode):
                return max(1, int(arg.value.value))
            return MAX_PAGE
    return 1


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node, *_):
        fragments = {
            f.name.value: f
            for f in self.context.document.definitions
            if f.kind == "fragment_definition"
        }
        cost = self._cost(node.selection_set, fragments, 1, set())
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"查询过于复杂(估算代价 {cost}，上限 {MAX_COST})：请减少每页条数或嵌套层级。",
                    node,
                )
            )

    def _cost(self, selection_set, fragments, multiplier, seen) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                size = _page_size(selection)
                total += multiplier
                total += self._cost(selection.selection_set, fragments, multiplier * size, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, fragments, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    total += self._cost(
                        fragments[name].selection_set, fragments, multiplier, seen | {name}
                    )
        return total


def validation_rules() -> list:
    """The standard rules plus ours: graphene-django replaces the defaults with what it gets."""
    return [*specified_rules, depth_limit_validator(max_depth=MAX_DEPTH), CostLimitRule]
