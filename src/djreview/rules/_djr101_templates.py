"""DJR101 in templates: the views of a file that render a template with a queryset in its
context, and the `{% for %}` loops of that template (templates/loops.py) that read a
relation of the queryset's rows that it did not select or prefetch.

Views found: `render(request, "x.html", {...})` and its `context=` keyword,
`TemplateResponse`, `render_to_string`, with a dict literal or a dict built in a variable
before the call (`ctx = {...}`, `ctx["k"] = v`, `ctx.update(...)`); ListView (`object_list`,
`<model>_list`, `context_object_name`, `page_obj`) with its `template_name`, or the default
`<app>/<model>_list.html` when nothing can change it; any class view whose
`get_context_data` adds querysets. What each context value is comes from the flow tracker,
at the place the dict is built. A value it cannot type is unknown, and a loop over an
unknown value reports nothing.

The finding is located at the template's variable (path, line, column); its fix edits the
view's queryset in the file under review, like DJR101's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from djreview.fix_spec import FixSpec
from djreview.syntax import literal_string
from djreview.templates.loops import Page, Read, Row, Rows, Value, Walk, covered, loop_reads
from djreview.values import Queryset

if TYPE_CHECKING:
    from djreview.context import FileContext

# callable -> (position of the template name, position of the context) among its arguments
_RENDERERS = {
    "django.shortcuts.render": (1, 2),
    "django.shortcuts.render_to_response": (0, 1),
    "django.template.response.TemplateResponse": (1, 2),
    "django.template.response.SimpleTemplateResponse": (0, 1),
    "django.template.loader.render_to_string": (0, 1),
}
_LIST_VIEWS = frozenset({"django.views.generic.ListView", "django.views.generic.list.ListView"})
_DETAIL_VIEWS = frozenset({"django.views.generic.DetailView", "django.views.generic.detail.DetailView"})
_TEMPLATE_NAME = re.compile(r"""(["'])([\w./-]+\.(?:html|htm|txt|xml))\1""")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9_]*")
_TRIGGERS = ("render", "TemplateResponse", "template_name", "get_context_data", "ListView", "DetailView")


def renders_templates(text: str, index) -> bool:
    """Could this file render a project template with a loop that reads a relation (decided
    before the CST is built)? It calls something that renders and names such a template, or
    is a ListView or DetailView whose model has one under Django's default name."""
    if not any(t in text for t in _TRIGGERS) or not index.has_templates():
        return False
    names = {m.group(2) for m in _TEMPLATE_NAME.finditer(text)}
    if "ListView" in text or "DetailView" in text:  # their default template names go unwritten
        names |= _default_names(text, index)
    read: set[str] = set()
    for name in sorted(names):
        read |= loop_reads(index.template(name), index.template)
    return bool(read) and index.reads_a_relation(read)


def _default_names(text: str, index) -> set[str]:
    """`<app>/<model>_list.html` and `_detail.html` of every model the text names (one
    question of the index for the whole file)."""
    return set(index.default_template_names(" ".join(sorted(set(_CAPITALISED.findall(text))))))


@dataclass
class _Function:
    name: str
    dicts: dict[str, dict[str, object]] = field(default_factory=dict)  # name -> key -> value
    in_class: cst.ClassDef | None = None  # a method's class


@dataclass
class _View:
    """A class-based view of the file, as its subclasses in the file inherit it."""

    name: str
    attrs: dict[str, cst.BaseExpression]
    own: set[str]  # attribute and method names it (or a parent view here) defines
    is_list: bool
    sure: bool  # every base is Django's or such a view: the default template name holds
    qualname: str
    context: dict[str, object] | None = None  # what get_context_data adds
    qs: Queryset | None = None
    is_detail: bool = False

    @property
    def renders(self) -> bool:
        """Is it a view that renders a template (not a mixin beside one)?"""
        return self.is_list or self.is_detail or "template_name" in self.attrs or bool(self.context)


@dataclass
class _Class:
    node: cst.ClassDef
    context: dict[str, object] | None = None  # what get_context_data adds, when read


class TemplateLoops:
    """The DJR101 rule's side for templates (a mixin: NPlusOne calls `_template_*` from its
    own visit_Assign/visit_Call; the visit/leave hooks below are its own)."""

    if TYPE_CHECKING:  # what the rule it is mixed into provides
        code: ClassVar[str]
        name: ClassVar[str]
        severity: ClassVar[str]
        ctx: FileContext

        def _fix(self, qs: Queryset | None, method: str, path: str) -> tuple[FixSpec, cst.CSTNode | None]: ...

    def _templates_start(self) -> None:
        self._functions: list[_Function] = []
        self._classes: list[_Class] = []
        self._reported: set[tuple] = set()
        self._views: dict[str, _View] = {}  # class views of this file, by name
        self._pending: list[_View] = []
        self._overridden: set[str] = set()  # views a subclass here gives another queryset

    # -- scopes ----------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(_Class(node))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        cls = self._classes.pop()
        self._class_view(cls)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        in_class = self._classes[-1].node if self._classes and self._owner_is_class(node) else None
        function = _Function(node.name.value, in_class=in_class)
        star = node.params.star_kwarg
        if node.name.value == "get_context_data" and isinstance(star, cst.Param):
            function.dicts[star.name.value] = {}  # kwargs["k"] = v; return super()...(**kwargs)
        self._functions.append(function)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()

    def _owner_is_class(self, node: cst.FunctionDef) -> bool:
        """Is `node` a method of the innermost class (not a function nested in a method)?"""
        cls = self._classes[-1].node
        body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
        return any(stmt is node for stmt in body)

    # -- dicts built before the render ---------------------------------------------------
    def _template_assign(self, node: cst.Assign) -> None:
        if not self._functions:
            return
        dicts = self._functions[-1].dicts
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Name):
                built = self._dict_of(node.value)
                if built is not None:
                    dicts[t.value] = built
                else:
                    dicts.pop(t.value, None)
            elif isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name) and t.value.value in dicts:
                key = _key(t)
                if key is not None:
                    dicts[t.value.value][key] = self.ctx.flow.infer(node.value)

    def _dict_of(self, expr: cst.BaseExpression) -> dict[str, object] | None:
        """The keys and values of a dict built here: a literal (with `**other` of a tracked
        dict), `dict(k=v)`, or `super().get_context_data(...)` (what it adds is known)."""
        flow = self.ctx.flow
        if isinstance(expr, cst.Dict):
            out: dict[str, object] = {}
            for element in expr.elements:
                if isinstance(element, cst.DictElement):
                    key = literal_string(element.key)
                    if key is not None:
                        out[key] = flow.infer(element.value)
                elif isinstance(element.value, cst.Name):
                    out.update(self._functions[-1].dicts.get(element.value.value, {}) if self._functions else {})
            return out
        if isinstance(expr, cst.Call):
            func = expr.func
            if isinstance(func, cst.Name) and func.value == "dict" and all(a.keyword for a in expr.args):
                return {a.keyword.value: flow.infer(a.value) for a in expr.args if a.keyword}
            if isinstance(func, cst.Attribute) and func.attr.value == "get_context_data":
                out = {}
                for arg in expr.args:
                    if arg.keyword is not None:
                        out[arg.keyword.value] = flow.infer(arg.value)
                    elif arg.star == "**" and isinstance(arg.value, cst.Name) and self._functions:
                        out.update(self._functions[-1].dicts.get(arg.value.value, {}))
                return out
        if isinstance(expr, cst.Name) and self._functions:
            known = self._functions[-1].dicts.get(expr.value)
            return dict(known) if known is not None else None
        return None

    def visit_Return(self, node: cst.Return) -> None:
        if not self._functions or not self._classes:
            return
        function = self._functions[-1]
        if function.name == "get_context_data" and function.in_class is self._classes[-1].node and node.value:
            self._classes[-1].context = self._dict_of(node.value)

    # -- render calls --------------------------------------------------------------------
    def _template_call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "update" and isinstance(func.value, cst.Name):
            return self._update(func.value.value, node)
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return
        positions = _RENDERERS.get(self.ctx.flow.qualify(func) or "")
        if positions is None:
            return
        name_arg = _argument(node, positions[0], ("template_name", "template"))
        context_arg = _argument(node, positions[1], ("context",))
        name = literal_string(name_arg) if name_arg is not None else None
        if name is None and isinstance(name_arg, (cst.List, cst.Tuple)) and name_arg.elements:
            name = literal_string(name_arg.elements[0].value)  # select_template: the first that exists
        if name is None or context_arg is None:
            return
        context = self._dict_of(context_arg)
        if context:
            view = self._functions[-1].name if self._functions else "<module>"
            self._review_template(name, _template_values(context), f"{view}()")

    def _update(self, name: str, node: cst.Call) -> None:
        """`ctx.update({...})`, `ctx.update(k=v)` on a dict being built."""
        dicts = self._functions[-1].dicts if self._functions else {}
        if name not in dicts:
            return
        for arg in node.args:
            more = self._dict_of(arg.value) if arg.keyword is None else None
            if arg.keyword is not None:
                dicts[name][arg.keyword.value] = self.ctx.flow.infer(arg.value)
            elif more is not None:
                dicts[name].update(more)
            else:
                dicts.pop(name)  # update(something unknown): its keys are unknown
                return

    # -- class-based views ---------------------------------------------------------------
    def _class_view(self, cls: _Class) -> None:
        flow, index = self.ctx.flow, self.ctx.index
        frame = flow.enclosing_class()
        if frame is None or frame.node is not cls.node:
            return
        bases = [index.resolve(flow.qualify(base.value)) for base in cls.node.bases]
        local = [
            self._views[b.value.value]
            for b in cls.node.bases
            if isinstance(b.value, cst.Name) and b.value.value in self._views and self._views[b.value.value].renders
        ]
        parent = local[0] if len(local) == 1 else None  # a view of this file it extends
        own = frame.attrs.keys() | frame.methods.keys()
        if parent is not None and own & {"get_queryset", "queryset", "model"}:
            self._overridden.add(parent.name)  # the parent's queryset is not what this view renders
        view = _View(
            cls.node.name.value,
            {**(parent.attrs if parent else {}), **frame.attrs},
            own | (parent.own if parent else set()),
            is_list=bool(_LIST_VIEWS.intersection(bases)) or bool(parent and parent.is_list),
            # Django's default template name holds unless a base we cannot read changes it
            sure=all((b or "").startswith("django.") or (parent is not None and b == parent.qualname) for b in bases)
            and (parent is None or parent.sure),
            qualname=frame.qualname,
            context=cls.context if cls.context is not None else (parent.context if parent else None),
        )
        view.is_detail = bool(_DETAIL_VIEWS.intersection(bases)) or bool(parent and parent.is_detail)
        if view.is_list or view.is_detail:
            qs = (
                flow.view_queryset(frame)
                if parent is None or own & {"get_queryset", "queryset", "model"}
                else parent.qs
            )
            view.qs = qs if isinstance(qs, Queryset) and not qs.values and not qs.opaque else None
        if view.is_detail and self._own_get_object(bases, view):
            view.qs = None  # the object may not come from the queryset, nor load what it does
        self._views[view.name] = view
        self._pending.append(view)

    def _own_get_object(self, bases: list[str | None], view: _View) -> bool:
        """Does the view, or a base that is not Django's, define get_object()?"""
        if "get_object" in view.own:
            return True
        index = self.ctx.index
        return any(b and not b.startswith("django.") and index.class_defines(b, "get_object") for b in bases)

    def _list_context(self, view: _View) -> tuple[str | None, dict[str, Value]]:
        """The template a class view renders and what its context holds."""
        context: dict[str, Value] = {}
        template = view.attrs.get("template_name")
        name = literal_string(template) if template is not None else None
        qs = view.qs
        info = self.ctx.index.model(qs.model) if qs is not None else None
        if qs is not None and view.is_detail:
            # one object of the queryset: only the rows of its managers are loop rows
            for key in ("object", info.name.lower() if info else "", _literal_attr(view, "context_object_name")):
                if key:
                    context[key] = Row(qs, (), False, None, key)
        elif qs is not None:
            context["object_list"] = Rows(qs)
            context["page_obj"] = Page(qs)
            if info is not None:
                context[f"{info.name.lower()}_list"] = Rows(qs)
            own = view.attrs.get("context_object_name")
            own_name = literal_string(own) if own is not None else None
            if own_name:
                context[own_name] = Rows(qs)
        default = view.sure and not {"template_name", "template_name_suffix", "get_template_names"} & view.own
        if name is None and default and info is not None and (view.is_list or view.is_detail):
            name = f"{info.app_label}/{info.name.lower()}_{'list' if view.is_list else 'detail'}.html"
        if view.context:
            context.update(_template_values(view.context))
        return name, context

    def leave_Module(self, node: cst.Module) -> None:
        """Class views are reviewed once the file is read: a subclass further down that
        brings its own queryset means its parent's is not the one rendered. The other
        mixins of the rule leave the module too (DRF serializers)."""
        after = getattr(super(), "leave_Module", None)
        self._template_views()
        if after is not None:
            after(node)

    def _template_views(self) -> None:
        for view in self._pending:
            if view.name in self._overridden:
                continue
            name, context = self._list_context(view)
            if name is not None and context:
                self._review_template(name, context, view.name)

    # -- the template --------------------------------------------------------------------
    def _review_template(self, name: str, context: dict[str, Value], view: str) -> None:
        if not any(isinstance(v, (Rows, Page, Row)) for v in context.values()):
            return
        index = self.ctx.index
        template = index.template(name)
        if template is None:
            return
        walk = Walk(index, index.template, self.code)
        try:
            walk.template(template, [context])
        except RecursionError:  # tags nested deeper than Python's stack: that template is not reviewed
            return
        for read in covered(walk.reads):
            key = (read.path, read.line, read.column, read.full_path, read.how, view)
            if key in self._reported:
                continue
            self._reported.add(key)
            self._report_template_read(read, view)

    def _report_template_read(self, read: Read, view: str) -> None:
        index, qs = self.ctx.index, read.qs
        full_path, target_qs = read.full_path, qs
        if qs.outer is not None and qs.prefix:
            full_path, target_qs = f"{qs.prefix}__{read.full_path}", qs.outer
        where = (read.path, read.line, read.column, read.end_column)
        rendered = f"(rendered by {view} in {self.ctx.path})"
        if read.how == "annotate":
            lookup = index.lookup_path(target_qs.model, full_path)
            message = (
                f"N+1 query: `{read.access}.{read.method}()` runs a query for every {read.model} "
                f"in this loop {rendered}."
            )
            hint = (
                f"Annotate it on the queryset instead, e.g. .annotate({lookup.split('__')[-1]}_count="
                f'Count("{lookup}")), and read the annotation in the loop.'
            )
            fix = FixSpec(f'annotate Count("{lookup}") on the queryset', "suggestion")
            self.ctx.report_at(self, where, message, fix, hint=hint)
            return
        many = read.how != "select" or full_path != read.full_path
        method = "prefetch_related" if many else "select_related"
        fix, anchor = self._fix(target_qs, method, full_path)
        built = " where it is built" if anchor is None else f" built on line <line:origin> of {self.ctx.path}"
        kind = (
            "related objects" if read.kind in ("m2m", "reverse_fk", "reverse_m2m", "generic_relation") else "relation"
        )
        message = (
            f"N+1 query: `{read.access}` loads the {kind} `{read.relation}` of {read.model} once per row "
            f"of this loop {rendered}."
        )
        hint = f'Add .{method}("{full_path}") to the queryset{built}.'
        lines = {"origin": anchor} if anchor is not None else None
        self.ctx.report_at(self, where, message, fix, lines=lines, hint=hint)


def _literal_attr(view: _View, name: str) -> str | None:
    value = view.attrs.get(name)
    return literal_string(value) if value is not None else None


def _key(target: cst.Subscript) -> str | None:
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return None
    return literal_string(target.slice[0].slice.value)


def _argument(call: cst.Call, position: int, keywords: tuple[str, ...]) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    return positional[position].value if len(positional) > position else None


def _template_values(context: dict[str, object]) -> dict[str, Value]:
    """Flow values as a template sees them: a queryset's rows; anything else unknown."""
    out: dict[str, Value] = {}
    for key, value in context.items():
        if isinstance(value, (Rows, Page, Row)):
            out[key] = value
        elif isinstance(value, Queryset) and not value.values and not value.opaque:
            # a Paginator's items are pages; a page (paginator.get_page(n)) iterates its rows
            out[key] = None if getattr(value, "paginator", False) else Page(value)
        else:
            out[key] = None
    return out
