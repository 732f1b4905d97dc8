"""DJR201: a ForeignKey or ManyToManyField without ``related_name``.

Without it the reverse accessor is the implicit ``<model>_set``, which reads poorly, clashes
when two relations point at the same model, and hides the relation from readers of the
target model. The fix names the accessor after the model that holds the field, and takes care
not to break working code: the rename also changes the reverse query name, so when the project
may use the old one in lookups the fix keeps it (`related_query_name`); when the project reads
the old accessor (code, strings, templates) or is a package others install, it is unsafe.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from djreview import orm
from djreview.fix_spec import FixSpec, append_arguments
from djreview.index.prefilter import Collector, Walked, class_body_call, dotted_names
from djreview.naming import plural_snake
from djreview.rule import Rule
from djreview.rules._class_body_fields import ClassBodyFields
from djreview.syntax import literal_string


class ClassBodyCalls(Collector):
    """The qualified names of the callables whose result a class body assigns to a name
    (``author = models.ForeignKey(...)``): without a ForeignKey or ManyToManyField among
    them the file declares no relation field."""

    def __init__(self) -> None:
        self.called: list[list[str]] = []

    def visit(self, node: ast.AST, in_loop: bool, scope: str) -> None:
        if scope == "class" and isinstance(node, (ast.Assign, ast.AnnAssign)):
            func = class_body_call(node)
            parts = dotted_names(func) if func is not None else None
            if parts:
                self.called.append(parts)

    def result(self, walked: Walked) -> frozenset[str]:
        return frozenset(".".join([walked.qualify(parts[0]), *parts[1:]]) for parts in self.called)


class MissingRelatedName(ClassBodyFields, Rule):
    code = "DJR201"
    name = "missing-related-name"
    fixable = True
    triggers = ("ForeignKey", "ManyToManyField")
    reads_project_files = True  # a rename breaks uses in templates and unindexed tests too
    prefilter = ClassBodyCalls

    def wants(self, text, facts, index, prefilter) -> bool:
        if not super().wants(text, facts, index, prefilter):
            return False
        found = prefilter()  # the callables class bodies assign to a name
        return found is None or not found.isdisjoint(orm.FOREIGN_KEY | orm.MANY_TO_MANY)

    def field_call(self, field: str, value: cst.Call, frame) -> None:
        flow = self.ctx.flow
        kind = flow.qualify(value.func)
        if kind in orm.FOREIGN_KEY:
            label = "ForeignKey"
        elif kind in orm.MANY_TO_MANY:
            label = "ManyToManyField"
        else:
            return
        keywords = {a.keyword.value: a for a in value.args if a.keyword is not None}
        if "related_name" in keywords or any(a.star == "**" for a in value.args):
            return
        target_node = value.args[0].value if value.args and value.args[0].keyword is None else None
        if target_node is None and "to" in keywords:
            target_node = keywords["to"].value
        target_text = literal_string(target_node)
        if label == "ManyToManyField" and target_text == "self":
            symmetrical = keywords.get("symmetrical")
            if symmetrical is None or not (
                isinstance(symmetrical.value, cst.Name) and symmetrical.value.value == "False"
            ):
                return  # a symmetrical self relation has no reverse accessor to name
        self._report(frame, field, label, value, target_node, target_text)

    def _report(self, frame, field, label, call, target_node, target_text) -> None:
        index = self.ctx.index
        model = index.model(frame.qualname)
        holder = frame.node.name.value
        rel = model.relations.get(field) if model is not None else None
        target = index.model(rel.target) if rel is not None else None
        if target is not None:
            target_name = target.name
        else:
            written = target_text or self.ctx.flow.qualify(target_node)
            if written is None:
                written = self.ctx.module.code_for_node(target_node) if target_node is not None else "its target"
            # `settings.AUTH_USER_MODEL`, `getattr(settings, "AUTH_USER_MODEL", "auth.User")`,
            # `get_user_model()`: the user model; else the last name written (`"shop.Book"`,
            # `get_model_name("wagtailcore", "Page")`)
            names = re.findall(r"\w+", written)
            user = "AUTH_USER_MODEL" in written or "user_model" in written.lower()  # get_user_model()
            target_name = "User" if user or not names else names[-1]
        default = f"{holder.lower()}_set"
        if model is not None and model.abstract:
            proposed, query_name = "%(app_label)s_%(class)s_related", "%(class)s"
        else:
            proposed, query_name = self._proposed_name(model, holder, field), holder.lower()
        names = self._default_names(model, holder)
        accessor_count, accessor_places, read = self._uses(names, "accessor_uses", "_set", 3)
        query_count, query_places, queried = self._uses(names, "query_name_uses", "", 1)
        package = self.ctx.index.distribution(self.ctx.path)
        implicit = (
            f"each concrete subclass gets its own implicit `{target_name.lower()}.<subclass>_set`"
            if model is not None and model.abstract
            else f"the reverse accessor is the implicit `{target_name.lower()}.{default}`"
        )
        message = f"{holder}.{field}: {label} to {target_name} has no related_name, so {implicit}."
        arguments = [f'related_name="{proposed}"']
        if query_count:
            # Without it the query name becomes the related_name: `filter(book=...)` fails.
            arguments.append(f'related_query_name="{query_name}"')
            hint = (
                f'Add related_name="{proposed}" and related_query_name="{query_name}" (makemigrations '
                f"will record them): the project may use {queried} in query lookups "
                f"({_places(query_count, query_places)}), which related_query_name keeps working."
            )
        else:
            hint = f'Add related_name="{proposed}" (makemigrations will record it).'
        if accessor_count:
            hint += (
                f" The project reads {read} ({_places(accessor_count, accessor_places)}): "
                f"rename those uses to `{proposed}` too, or the rename breaks them."
            )
        elif package is not None:
            hint += (
                f" This project is the distributed package {package!r}: code that installs it may "
                f"read `{target_name.lower()}.{default}`, so renaming the accessor is not safe."
            )
        edit = append_arguments(call, arguments)
        if edit is None:
            return self.report(call, message, hint=hint)
        # Without the target's model we cannot see the names already taken on it (fields.E304);
        # an assumed model (bases not followed) may have fields and accessors we cannot see.
        assumed = [m.name for m in (model, target) if m is not None and m.assumed]
        if assumed and not accessor_count and package is None:
            hint += (
                f" djreview assumed {' and '.join(dict.fromkeys(assumed))} to be a model (`djreview models` "
                "lists the bases it could not follow), so check the name is free before applying."
            )
        certain = target is not None and not accessor_count and package is None and not assumed
        fix = FixSpec(
            f"add {' and '.join(arguments)} to {holder}.{field}",
            "safe" if certain else "unsafe",
            (edit,),
        )
        self.report(call, message, fix, hint=hint)

    def _default_names(self, model, holder: str) -> list[str]:
        """The default query names the relation has now (`book`, its accessor `book_set`):
        for an abstract model, one per concrete subclass."""
        index = self.ctx.index
        names = [m.name.lower() for m in index.concrete_subclasses(model.qualname)] if model and model.abstract else []
        return names or [holder.lower()]

    def _uses(self, names: list[str], question: str, suffix: str, shown: int) -> tuple[int, list[str], str]:
        """How many uses of the default names the index saw, the first `shown` places, and
        the names used (`book_set`, or `note_set`, `memo_set` for an abstract model)."""
        count, places, used = 0, [], []
        for name in names:
            found, where = getattr(self.ctx.index, question)(f"{name}{suffix}", shown)
            count += found
            places += where
            if found:
                used.append(f"`{name}{suffix}`")
        return count, sorted(places)[:shown], ", ".join(used)

    def _proposed_name(self, model, holder: str, field: str) -> str:
        name = plural_snake(holder)
        if model is None:
            return name
        rel = model.relations.get(field)
        target = self.ctx.index.model(rel.target) if rel else None
        named = {f.name for f in model.fields if f.related_name}
        written = {f.name: f.target for f in model.fields}
        siblings = [  # other relations to the same model that keep the default accessor
            r
            for r in model.relations.values()
            if rel is not None
            and r.kind in ("fk", "m2m")
            and r.name != field
            and r.name not in named
            and (r.target == rel.target if rel.target is not None else written.get(r.name) == written.get(field))
        ]
        taken = target is not None and (name in target.relations or any(f.name == name for f in target.fields))
        return f"{name}_as_{field}" if siblings or taken else name


def _places(count: int, places: list[str]) -> str:
    more = count - len(places)
    return ", ".join(places) + (f" and {more} more" if more > 0 else "")
