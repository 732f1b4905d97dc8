"""DJR405: `render(request, template, locals())` hands every local variable to the template.

The template then sees whatever the view happens to hold: a password checked a few lines up,
a token, a queryset of every user; a later edit to the view changes what templates can print
without anyone reviewing a template. An explicit context dict says what the page gets.

Checked: `render()`, `render_to_response()`, `render_to_string()`, `TemplateResponse()` and
`SimpleTemplateResponse()` with `locals()` as their context (positional or `context=`), in a
function that serves a request (a `request` parameter, or `self.request`): a widget's
`render()` holds no request, session or user to leak. The
fix lists the names the template reads (its `{% extends %}` parents and `{% include %}`s
followed) that are locals of the view, when the project holds the template; otherwise a
suggestion with every local of the function.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.rule import Rule
from djreview.rules._djr101_templates import _RENDERERS  # Django's renderers: (template, context) positions
from djreview.syntax import binding_targets, literal_string
from djreview.templates.lexer import Block, Include, Loop, Template, Use, With
from djreview.walk import children

_MOST_TEMPLATES = 30  # extends/include chains followed at most


class RenderLocals(Rule):
    code = "DJR405"
    name = "render-locals"
    fixable = True
    triggers = ("locals()",)
    reads_project_files = True

    def start(self, ctx) -> None:
        super().start(ctx)
        self._functions: list[cst.FunctionDef] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, (cst.Name, cst.Attribute)) or not self._functions:
            return
        qualified = self.ctx.flow.qualify(node.func) or ""
        positions = _RENDERERS.get(qualified)
        if positions is None:
            return
        callee = qualified.rsplit(".", 1)[-1]
        template_at, context_at = positions
        positional = [a for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a for a in node.args if a.keyword is not None}
        context = keywords.get("context") or (positional[context_at] if len(positional) > context_at else None)
        if context is None or not _is_locals(context.value):
            return
        function = self._functions[-1]
        if not _serves_a_request(function):
            return  # a widget's or a mail's render(): no request, session or user among its locals
        template = keywords.get("template_name") or (positional[template_at] if len(positional) > template_at else None)
        name = literal_string(template.value) if template is not None else None
        names = _locals_before(function, node)
        reads, complete = self._template_reads(name) if name else (None, False)
        view = function.name.value
        message = (
            f"{view}() passes locals() to {callee}(): the template sees every local variable of the view, "
            "including ones never meant for a page, and any later edit to the view changes what it can print."
        )
        if reads is not None:
            used = [n for n in names if n in reads]
            listing = "{" + ", ".join(f'"{n}": {n}' for n in used) + "}"
            hint = f"Pass an explicit context of what {name} reads: `{listing}`."
            applicability = "unsafe" if complete else "suggestion"
            edits = (NodeEdit(context.value, listing),) if complete else ()
            fix = FixSpec(f"pass the {len(used)} local(s) {name} reads", applicability, edits)
        else:
            listing = "{" + ", ".join(f'"{n}": {n}' for n in names) + "}"
            hint = f"Pass an explicit context dict of the names the template uses, out of `{listing}`."
            fix = FixSpec("pass an explicit context dict of the names the template uses", "suggestion")
        self.report(context.value, message, fix, hint=hint)

    def _template_reads(self, name: str) -> tuple[set[str] | None, bool]:
        """The variables the template reads from its context (None: not in the project), and
        whether every template it extends or includes was read too."""
        index = self.ctx.index
        if index.template(name) is None:
            return None, False
        reads: set[str] = set()
        complete = True
        queue, seen = [name], set[str]()
        while queue and len(seen) < _MOST_TEMPLATES:
            current = queue.pop()
            if current in seen:
                continue
            seen.add(current)
            template: Template | None = index.template(current)
            if template is None:
                complete = False
                continue
            if template.extends == "":
                complete = False
            elif template.extends:
                queue.append(template.extends)
            complete &= _free_reads(template.nodes, set(), reads, queue)
        return reads, complete and not queue


def _serves_a_request(function: cst.FunctionDef) -> bool:
    """A view: a `request` parameter, or a method reading `self.request`."""
    params = function.params
    if any(p.name.value == "request" for p in [*params.posonly_params, *params.params, *params.kwonly_params]):
        return True
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute) and node.attr.value == "request":
            return True
        stack.extend(children(node))
    return False


def _is_locals(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "locals"


def _free_reads(nodes: list, bound: set[str], reads: set[str], includes: list[str]) -> bool:
    """Add to `reads` the context names `nodes` read; False when an include is not by name."""
    complete = True
    for node in nodes:
        if isinstance(node, Use):
            if node.parts[0] not in bound:
                reads.add(node.parts[0])
        elif isinstance(node, Loop):
            if node.source is not None and node.source.parts[0] not in bound:
                reads.add(node.source.parts[0])
            complete &= _free_reads(node.body, bound | set(node.names) | {"forloop"}, reads, includes)
            complete &= _free_reads(node.empty, bound, reads, includes)
        elif isinstance(node, With):
            for _, use in node.bindings:
                if use is not None and use.parts[0] not in bound:
                    reads.add(use.parts[0])
            complete &= _free_reads(node.body, bound | {n for n, _ in node.bindings}, reads, includes)
        elif isinstance(node, Include):
            for _, use in node.bindings:
                if use is not None and use.parts[0] not in bound:
                    reads.add(use.parts[0])
            if node.name is None:
                complete = False
            elif not node.only:
                includes.append(node.name)
        elif isinstance(node, Block):
            complete &= _free_reads(node.body, bound, reads, includes)
    return complete


def _locals_before(function: cst.FunctionDef, call: cst.Call) -> list[str]:
    """The function's parameters and the names it binds before `call`, in order."""
    params = function.params
    names = [p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if node is call:
            break
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            names.append(node.name.value)
            continue
        if isinstance(node, (cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
            continue
        for target in binding_targets(node):
            names += _target_names(target)
        stack.extend(reversed(children(node)))
    return list(dict.fromkeys(n for n in names if n != "_"))


def _target_names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []
