RESOURCES = [
    "enterprises",
    "segments",
    "parks",
    "spaces",
    "hospitals",
    "institutions",
    "funds",
    "platforms",
    "policies",
    "signed-projects",
    "clinical-projects",
]
