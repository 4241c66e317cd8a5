"""实名制就业帮扶台账: the registry of the people to help (persons, households, dated statuses,
employment spells), the service duties of the documents (duties.yaml, evaluated by the one
three-valued evaluator), service records, plans, work queues and figures. See docs/registry.md."""

from .service import Registry

__all__ = ["Registry"]
