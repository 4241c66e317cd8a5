"""The model's entities: Person, and Organisation with the roles the measures read."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="个人",
    doc="A natural person: job seeker, employee, graduate, founder, trainee.",
    is_person=True,
)

Organisation = build_entity(
    key="organisation",
    plural="organisations",
    label="单位",
    doc=(
        "An organisation: employer, start-up, HR agency, training provider, street office, "
        "community. Persons belong to it in one role. A person not listed in any organisation "
        "gets an implicit one of their own, which jiuye never reports as a beneficiary."
    ),
    roles=[
        {"key": "employee", "plural": "employees", "label": "职工", "doc": "Employed under a labour contract."},
        {"key": "founder", "plural": "founders", "label": "创业者", "doc": "Founder or legal representative."},
        {"key": "intern", "plural": "interns", "label": "见习人员", "doc": "Trainee in an internship (就业见习)."},
        {"key": "member", "plural": "members", "label": "其他成员", "doc": "Any other tie (e.g. trainee of a provider)."},
    ],
)

entities = [Person, Organisation]
