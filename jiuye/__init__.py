"""jiuye (就业政策引擎): Chinese local employment-promotion policies as executable, cited rules."""

__version__ = "0.1.0"
