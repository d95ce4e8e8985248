"""The investment-promotion bureau's leads (招商线索): investors who asked to be contacted, and their pipeline.

The public contact form, the lead and its follow-ups, the staff's pipeline in the admin, the e-mails (background
jobs), matching a lead against today's supply, the funnel and personal-data duties (PIPL: export, erase, retention).
It imports the record apps and nansha's matching engine; nothing imports it but the URLs and the admin.
"""
