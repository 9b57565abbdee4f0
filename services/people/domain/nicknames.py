"""Short forms of English given names and the full name each usually stands for: versioned data the matcher
reads (part of the matcher's version). Sources: common English diminutives as listed by the Office for National
Statistics baby-name tables' variant groupings and the UK Government Data Standards Catalogue person-name
guidance (record the name given, compare its forms). Extend it here, never in code.
"""

_GROUPS = {
    "alexander": "alex alec sandy xander", "alexandra": "alexa lexi sasha", "abigail": "abi abbie abby gail",
    "benjamin": "ben benji benny", "charles": "charlie chaz chuck", "charlotte": "lottie lotte charley",
    "christopher": "chris kit topher", "daniel": "dan danny", "david": "dave davy", "edward": "ed eddie ted ned",
    "elizabeth": "liz lizzie lizzy beth betty eliza libby bess", "eleanor": "nell",
    "frederick": "fred freddie freddy", "harold": "harry hal", "henry": "hank", "isabella": "bella izzy issy",
    "isabelle": "izzie", "jacob": "jake jakey", "james": "jim jimmy jamie", "jennifer": "jen jenny",
    "jessica": "jess jessie", "john": "johnny", "jonathan": "jon jonny", "joseph": "joe joey",
    "joshua": "josh", "katherine": "kate katie kathy kat kitty", "catherine": "cath cathy",
    "margaret": "maggie meg peggy", "matthew": "matt matty", "michael": "mike mikey mick",
    "nathaniel": "nate nat", "nicholas": "nick nicky", "oliver": "ollie olly", "patrick": "pat paddy",
    "rebecca": "becky becca", "richard": "rich rick ricky dick", "robert": "rob robbie bob bobby bert",
    "samuel": "sam sammy", "samantha": "sammie", "sophia": "sophie", "stephen": "steve stevie",
    "theodore": "theo teddy", "thomas": "tom tommy", "victoria": "vicky tori", "william": "will bill billy",
    "zachary": "zach zak", "anthony": "tony ant", "andrew": "andy drew", "amelia": "milly",
    "florence": "flo florrie", "harriet": "hattie", "gabriel": "gabe", "ethan": "eth",
}

FULL_NAMES: dict[str, str] = {short: full for full, shorts in _GROUPS.items() for short in shorts.split()}
VERSION = "2026.12"
