"""The web application (FastAPI): the 政策计算器 pages and API, the 经办台账 pages and API.

* ``app.py`` — ``create_app()``: routers, middleware, exception handlers;
* ``deps.py`` — typed dependencies: the ledger, the credential store, the page user, the staff
  user, the API user, the CSRF check, the application list's filters;
* ``problems.py`` — problem+json errors (``Problem``) and their OpenAPI documentation;
* ``templating.py`` — the templates (``templates/<feature>/``) and their filters (``money``,
  ``fact_value``); ``forms.py`` — situation JSON and refusals of the ledger's forms;
* ``credentials.py`` — login sessions and API tokens (hashes only) beside the ledger's tables;
* ``routes/`` — one module per feature: ``calculator_pages``, ``calculator_api``, ``ledger_pages``,
  ``ledger_claims`` (new claims, claims from the calculator and reassessment, by the facts' labels),
  ``ledger_api``, ``ledger_files`` (Excel/CSV export and import);
* a measure's facts by label: ``measure_facts.py`` (which facts a measure reads), ``fact_fields.py``
  (each fact as a field: label, type, column header, whose), ``fact_values.py`` (typed values, read
  strictly and shown), ``claim_situations.py`` (situations built or changed from them);
* ``ledger_import.py``, ``ledger_export.py`` — the streamed import and the export it reads back;
* ``questions.py`` — the questionnaire's logic (which facts to ask next, whose result is whose);
  ``answer_sheet.py`` — its situation (where it starts, who applies, the answers written into it);
* ``static/`` — CSS (nothing a page needs comes from the internet).

Dependencies: ``itsdangerous`` signs the session cookie (Starlette's ``SessionMiddleware`` uses it);
``python-multipart`` parses the forms and uploads; ``openpyxl`` reads and writes Excel files.
"""
