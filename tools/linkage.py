"""`frontdoor linkage`: a synthetic set of referred children for checking and tuning the matcher, and the
figures of a `frontdoor people link` run against the set's truth.

The set imitates what partners send: common English names (skewed, so many children share them), families
of siblings with near names at one address, twins (same surname, birthday and address), and repeat referrals
with the slips partners make: nicknames, typos, case, a double-barrelled or changed surname, a mistyped or
day/month-swapped or missing date of birth, unknown sex, a move (often within the district), a missing
postcode, an NHS number on some records only; plus unborn children and records with no names. Seeded, so a
figure can be reproduced.
"""

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import typer

linkage_app = typer.Typer(help="Synthetic children for tuning the matcher, and its figures.", no_args_is_help=True)

BOYS = ("Oliver Noah George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo "
        "Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua "
        "Albie Elijah Max Mohammed Reuben Mason Sebastian Rory Jude Louie Benjamin Ethan Adam Hugo Joseph Reggie "
        "Ronnie Louis Frankie Daniel Jake Harvey Samuel Dylan Logan Ezra Michael Toby Riley").split()
GIRLS = ("Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Sienna Poppy "
         "Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya Sophie Alice Emilia "
         "Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva Hallie Eliza Ellie Esme Imogen Harriet Lucy "
         "Jessica Chloe Holly Zara Layla Lola Ayla Georgia Hannah Erin Amelie").split()
SURNAMES = ("Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
            "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill "
            "Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker "
            "Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
            "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman "
            "Powell Webb Rogers Gray Mason Ali Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight "
            "Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey O'Brien Nowak Kowalski").split()
NEAR = {"Jack": "Jake", "Jake": "Jack", "Ella": "Ellie", "Ellie": "Ella", "Harry": "Harvey", "Harvey": "Harry",
        "Isla": "Isabella", "Sophia": "Sophie", "Sophie": "Sophia", "Lily": "Lola", "Louie": "Louis",
        "Louis": "Louie", "Evie": "Eva", "Eva": "Evie", "Millie": "Mila", "Mila": "Millie", "Freddie": "Frankie",
        "Frankie": "Freddie", "Isabelle": "Isabella", "Isabella": "Isabelle", "Ava": "Ayla", "Ayla": "Ava"}
NICKNAMES = {"Alexander": "Alex", "Thomas": "Tom", "William": "Will", "Benjamin": "Ben", "Joshua": "Josh",
             "Samuel": "Sam", "Daniel": "Danny", "James": "Jamie", "Oliver": "Ollie", "Joseph": "Joe",
             "Jacob": "Jake", "Edward": "Eddie", "Michael": "Mike", "Theodore": "Theo", "Elizabeth": "Liz",
             "Isabella": "Bella", "Charlotte": "Lottie", "Jessica": "Jess", "Sophia": "Sophie", "Harriet": "Hattie",
             "Florence": "Flo", "Matilda": "Tilly", "Penelope": "Penny", "Eliza": "Liza"}
DISTRICTS = [f"NN{i}" for i in range(1, 19)] + [f"PE{i}" for i in range(1, 10)] + [f"WF{i}" for i in range(1, 18)]
TODAY = date(2026, 12, 1)


SURNAME_TAIL = [a + b for a in ("Ash Bram Cal Dar El Fen Gar Hol Ing Jar Kel Lan Mor Nor Os Pen Quin Ros Sel Tam "
                                 "Ul Ver Wen Yar Zel Ab Bel Cor Dun Ew").split()
                for b in "ford ton ley wood field by worth ham well ridge croft more dale brook shaw".split()]
GIVEN_TAIL = [a + b for a in ("Ad Bri Cas Del Em Fa Gil Hen Ir Jo Kai Lor Mar Ner Or Pri Ro Sa Tey Vi Wyn Xan Yas "
                              "Zo").split() for b in "a ia ie o an en is y ette ian".split()]


def zipf(rng: random.Random, names: list[str]) -> str:
    return rng.choices(names, weights=[1 / (i + 1) ** 0.6 for i in range(len(names))])[0]


def surname(rng: random.Random) -> str:
    """A quarter of families have one of the 100 commonest surnames (Smith about 1.8% of all, England 1.3%)."""
    return zipf(rng, SURNAMES) if rng.random() < 0.25 else rng.choice(SURNAME_TAIL)


def given_name(rng: random.Random, common: list[str]) -> str:
    """Half of children have one of the 60 commonest names (Oliver about 4.6% of boys; England about 2%)."""
    return zipf(rng, common) if rng.random() < 0.5 else rng.choice(GIVEN_TAIL)


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def postcode(rng: random.Random, district: str | None = None) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district or rng.choice(DISTRICTS)} {rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def family(rng: random.Random, number: int) -> list[dict]:
    """One household: siblings share a surname and address; 4% of households have twins."""
    family_name, address = surname(rng), postcode(rng)
    children: list[dict] = []
    used: set[str] = set()
    size = rng.choices([1, 2, 3, 4], weights=[50, 30, 14, 6])[0]
    twins = rng.random() < 0.04
    for i in range(size + (1 if twins else 0)):
        sex = rng.choice(["male", "female"])
        names = BOYS if sex == "male" else GIRLS
        if twins and i == 1:
            born = children[0]["date_of_birth"]
            first = children[0]["given_name"]
            near = NEAR.get(first)
            given = near if near and rng.random() < 0.5 and near in names else given_name(rng, names)
        else:
            born = TODAY - timedelta(days=rng.randint(30, 17 * 365))
            given = given_name(rng, names)
        if given in used:
            given = rng.choice([n for n in names if n not in used])
        used.add(given)
        children.append({"key": f"c{number}-{i}", "given_name": given, "family_name": family_name,
                         "date_of_birth": born, "sex": sex, "postcode": address, "nhs_number": nhs_number(rng)})
    return children


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "change"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice("aeiounrstl") + word[i + 1:]


def sighting(rng: random.Random, c: dict) -> dict:
    """One referral's record of child `c`, with the slips partners make."""
    given, family, born = c["given_name"], c["family_name"], c["date_of_birth"]
    r = rng.random
    if r() < 0.08 and given in NICKNAMES:
        given = NICKNAMES[given]
    elif r() < 0.06:
        given = typo(rng, given)
    if r() < 0.04:
        family = typo(rng, family)
    elif r() < 0.04:
        family = f"{family}-{surname(rng)}" if r() < 0.5 else surname(rng)  # double-barrelled, changed
    case = r()
    given, family = (given.upper(), family.upper()) if case < 0.06 else \
        (given.lower(), family.lower()) if case < 0.09 else (given, family)
    dob: date | None = born
    slip = r()
    if slip < 0.03:
        text = born.strftime("%Y%m%d")
        i = rng.choice([2, 3, 5, 7])
        try:
            dob = datetime.strptime(text[:i] + str((int(text[i]) + rng.randint(1, 8)) % 10) + text[i + 1:],
                                    "%Y%m%d").date()
        except ValueError:
            dob = born
    elif slip < 0.05 and born.day <= 12:
        dob = born.replace(day=born.month, month=born.day)
    elif slip < 0.08:
        dob = None
    place = c["postcode"]
    if r() < 0.15:
        place = postcode(rng, place.split()[0] if r() < 0.5 else None)
        c["postcode"] = place  # the family has moved: later referrals give the new address
    shown_place = None if r() < 0.08 else (place.replace(" ", "").lower() if r() < 0.1 else place)
    child = {"given_name": None if r() < 0.01 else given, "family_name": family, "sex": "unknown" if r() < 0.1
             else c["sex"], "date_of_birth": dob.isoformat() if dob else None, "postcode": shown_place}
    if r() < 0.4:
        child["nhs_number"] = c.get("nhs_number")
    return {k: v for k, v in child.items() if v is not None}


def unborn(rng: random.Random, number: int) -> tuple[dict, str]:
    due = TODAY + timedelta(days=rng.randint(10, 200))
    child = {"family_name": surname(rng), "unborn": True, "expected_due_date": due.isoformat(),
             "postcode": postcode(rng)}
    return child, f"u{number}"


@linkage_app.callback()
def linkage() -> None:
    """A group of commands (`frontdoor linkage synth`, `frontdoor linkage figures`)."""


@linkage_app.command("synth")
def synth(out: Path = typer.Argument(..., help="Records (JSON Lines); the truth goes to OUT.truth.json"),
          households: int = typer.Option(2000, help="Households to draw children from"),
          seed: int = typer.Option(2026, help="Random seed: the same seed, the same set")) -> None:
    """Write a synthetic set of referral records with the child each is really about."""
    rng = random.Random(seed)
    children = [c for n in range(households) for c in family(rng, n)]
    rows = []
    for c in children:
        for _ in range(rng.choices([1, 2, 3, 4], weights=[50, 27, 14, 9])[0]):
            rows.append((rng.random(), c["key"], sighting(rng, c)))
    for n in range(max(1, households // 50)):
        child, key = unborn(rng, n)
        rows.append((rng.random(), key, child))
    rows.sort(key=lambda row: row[0])
    start = datetime(2025, 1, 1, tzinfo=UTC)
    truth = {}
    with out.open("w", encoding="utf-8") as f:
        for i, (when, key, child) in enumerate(rows):
            record_id = f"r{i:06d}"
            truth[record_id] = key
            received = start + timedelta(days=700 * when)
            f.write(json.dumps({"record_id": record_id, "received_at": received.isoformat(), "child": child}) + "\n")
    Path(f"{out}.truth.json").write_text(json.dumps(truth))
    typer.echo(f"{len(rows)} records about {len(children) + households // 50} children -> {out}", err=True)


def figures(links: list[dict], truth: dict[str, str]) -> dict[str, float | int]:
    """The targets' figures: wrong attachments, and how many repeat records were attached or offered."""
    owner: dict[str, str] = {}  # person -> the child of the first record that made it
    seen_children: set[str] = set()
    repeats = attached = offered = wrong = 0
    for line in links:
        if "error" in line:
            continue
        child, person = truth[line["record_id"]], line["person_id"]
        repeat = child in seen_children
        owner.setdefault(person, child)
        if owner[person] != child:
            wrong += 1
        if repeat:
            repeats += 1
            if line["grade"] == "certain" and owner[person] == child:
                attached += 1
            elif any(owner.get(c["person_id"]) == child for c in line["candidates"]):
                offered += 1
        seen_children.add(child)
    return {"records": len(links), "repeat_records": repeats, "wrongly_attached": wrong,
            "attached_automatically": attached, "offered_as_candidate": offered,
            "attached_rate": round(attached / repeats, 4) if repeats else 0.0,
            "attached_or_offered_rate": round((attached + offered) / repeats, 4) if repeats else 0.0}


@linkage_app.command("figures")
def figures_command(links: Path = typer.Argument(..., help="The output of `frontdoor people link`"),
                    truth: Path = typer.Argument(..., help="The set's truth (OUT.truth.json from `synth`)")) -> None:
    """Wrong attachments (target 0), repeat records attached (target >= 75%) or attached or offered (>= 98%)."""
    found = figures([json.loads(line) for line in links.read_text().splitlines() if line.strip()],
                    json.loads(truth.read_text()))
    typer.echo(json.dumps(found, indent=2))
    met = (found["wrongly_attached"] == 0 and found["attached_rate"] >= 0.75
           and found["attached_or_offered_rate"] >= 0.98)
    typer.echo("targets met" if met else "targets NOT met", err=True)
    raise typer.Exit(0 if met else 1)
