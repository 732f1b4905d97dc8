"""One module per rule, named ``djr<NNN>_<name>.py``; `djreview.rule.all_rules()` imports
them all. Nothing is imported here, so that knowing the codes costs no libcst import."""
