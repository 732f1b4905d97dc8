"""djreview: model-aware code review for Django projects."""

__version__ = "0.1.0"
