"""Applicant tracking system adapters for jobforge (entry point ``ats``).

``greenhouse``, ``lever`` and ``recruitee`` submit a candidate's application
(details, resume, cover letter, answers) to the employer's ATS with the
employer's key for that board, configured per account and never logged.
"""

__all__: list[str] = []
