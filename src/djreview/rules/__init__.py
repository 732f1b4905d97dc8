"""One module per rule; importing this package registers them all."""

from djreview.rules import (  # noqa: F401
    djr101_n_plus_one,
    djr102_save_in_loop,
    djr201_missing_related_name,
    djr202_missing_str,
    djr301_all_fields,
)
