"""Example bodies shown on the OpenAPI page, so a partner can see a complete, valid referral."""

SAFEGUARDING = {
    "summary": "Suspected significant harm (goes straight to statutory safeguarding)",
    "value": {
        "referrer": {"source": "2A", "organisation": "St Mary's Primary", "name": "J Smith",
                     "role": "Designated safeguarding lead", "email": "dsl@stmarys.example.org",
                     "is_professional": True},
        "child": {"given_name": "Amy", "family_name": "Example", "date_of_birth": "2018-05-04", "sex": "female",
                  "nhs_number": "9434765919", "postcode": "NN1 1AA"},
        "concern_summary": "Child disclosed being hit at home; bruising to upper arm.",
        "immediate_danger": False, "significant_harm_suspected": True, "concerns": ["physical_abuse"],
        "consent": {"status": "not_sought", "reason_not_sought": "Seeking consent may increase risk"},
    },
}
EARLY_HELP = {
    "summary": "Additional needs with the family's consent (early help)",
    "value": {
        "referrer": {"source": "3B", "organisation": "Health visiting team", "is_professional": True},
        "child": {"given_name": "Sam", "family_name": "Example", "date_of_birth": "2024-09-01", "sex": "male"},
        "concern_summary": "Parent has low mood; rent arrears; speech delay.",
        "immediate_danger": False, "significant_harm_suspected": False,
        "concerns": ["mental_health_parent", "financial_hardship", "child_development"],
        "consent": {"status": "given", "given_by": "parent"},
    },
}
UNBORN = {
    "summary": "An unborn baby (expected due date, no date of birth)",
    "value": {
        "referrer": {"source": "3F", "organisation": "Maternity unit", "is_professional": True},
        "child": {"unborn": True, "expected_due_date": "2027-03-01", "sex": "unknown"},
        "concern_summary": "Parent using substances in pregnancy; wants support.",
        "immediate_danger": False, "significant_harm_suspected": False, "concerns": ["drug_misuse_parent"],
        "consent": {"status": "given", "given_by": "parent"},
    },
}
REFERRAL_EXAMPLES = {"safeguarding": SAFEGUARDING, "early_help": EARLY_HELP, "unborn": UNBORN}
