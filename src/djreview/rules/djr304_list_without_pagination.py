"""DJR304: a DRF list endpoint that returns every row in one response.

A list endpoint (`ListAPIView`, `ListCreateAPIView`, `ModelViewSet`, `ReadOnlyModelViewSet`,
`ListModelMixin`, a viewset's own `list()`) paginates only when a pagination class applies
(the view's `pagination_class`, its bases', or `DEFAULT_PAGINATION_CLASS`) and that class has
a page size (`page_size`/`default_limit` on the class, or the `PAGE_SIZE` setting). Otherwise
DRF serializes the whole table on every request: slow responses and memory that grow with
the data. `PAGE_SIZE` alone paginates nothing.

Not reported: `pagination_class = None` or a pagination class with `page_size = None`
(decisions: unlimited on purpose), a pagination class the index cannot read (assumed to work), a base view the project only subclasses, settings the index cannot
read.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec
from djreview.rule import Rule
from djreview.rules._drf_access import drf_default, holds_drf_views, view_of

_HINT = (
    "Set pagination_class to a class with a page size (class {model}Pagination(PageNumberPagination): "
    "page_size = 50, from rest_framework.pagination), or set both DEFAULT_PAGINATION_CLASS and PAGE_SIZE "
    "in the REST_FRAMEWORK setting."
)


class ListWithoutPagination(Rule):
    code = "DJR304"
    name = "list-without-pagination"
    fixable = False  # the fix is a suggestion: which page size suits the endpoint is a decision

    def wants(self, text, facts, index, prefilter) -> bool:
        if "class " not in text or not holds_drf_views(facts, index):
            return False
        return any(_why(index, index.drf_view(c.qualname)) for c in facts.classes if c.bases)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        view = view_of(self.ctx, node)
        why = _why(self.ctx.index, view)
        if why is None:
            return
        model = (view.model or "").rsplit(".", 1)[-1]
        rows = f"every {model} row" if model else "every row"
        message = f"DRF list endpoint {view.name} has no pagination ({why}): its list returns {rows} in one response."
        hint = _HINT.format(model=model or view.name.removesuffix("ViewSet").removesuffix("View"))
        fix = FixSpec("paginate the list: a pagination_class with a page_size, or the settings' two keys", "suggestion")
        self.report(node, message, fix, hint=hint)


def _why(index, view) -> str | None:
    """Why a view's list is not paginated, or None when it is (or it is no list endpoint, or
    the index cannot tell)."""
    if view is None or not view.routed or view.lists not in ("paginator", "all"):
        return None
    if view.lists == "all":
        if view.pagination in ("none", "unsized"):
            return None  # `pagination_class = None`: the whole list on purpose (one incident's tags)
        return "its own list() serializes the rows without the paginator"
    if view.pagination == "setting":
        return _page_size(index, f"{view.pagination_owner}.pagination_class has no page_size")
    if view.pagination != "default":
        return None  # "none", "unsized" (page_size = None): decisions; "sized"; "unknown": assumed to work
    default = drf_default(index, "DEFAULT_PAGINATION_CLASS")
    if default is None:
        return None
    if default.state == "absent" or (default.state == "set" and default.value is None):
        return "no pagination_class, and the REST_FRAMEWORK setting has no DEFAULT_PAGINATION_CLASS"
    if default.state != "set" or not isinstance(default.value, str):
        return None
    if index.pagination_size(default.value) == "setting":
        return _page_size(index, "the DEFAULT_PAGINATION_CLASS has no page_size")
    return None


def _page_size(index, why: str) -> str | None:
    size = drf_default(index, "PAGE_SIZE")
    if size is None:
        return None
    if size.state == "absent" or (size.state == "set" and size.value is None):
        return f"{why} and the REST_FRAMEWORK setting has no PAGE_SIZE"
    return None
