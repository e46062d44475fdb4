"""Demo interventions for every demo cluster: believable Peruvian instruments with indicators and activities.

The interventions are a data file, demo_data/interventions.json; every intervention, figure and result in it
is illustrative (see docs/demo.md). Implementing, funding and beneficiary organisations are the clusters'
own demo members. Everything is written through instruments.services, as a user's clicks would. Values
follow a seeded trajectory, so two runs build the same programme; an intervention that already exists (same
cluster and title) is left as it is.
"""

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User

from clusters.models import Actor, Cluster
from instruments import services
from instruments.models import InstrumentType, Intervention

# Quarter ends on which demo measurements are taken.
QUARTERS = [
    datetime.date(2024, 3, 31),
    datetime.date(2024, 6, 30),
    datetime.date(2024, 9, 30),
    datetime.date(2024, 12, 31),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 6, 30),
    datetime.date(2025, 9, 30),
]
START = datetime.date(2024, 1, 15)
END = datetime.date(2025, 12, 31)

# The demo's interventions by cluster slug, each with its indicators (baseline, target, the share of the
# way reached by the last quarter, a breakdown by "sex" or "size" or none) and activities.
DATA = Path(__file__).resolve().parent / "demo_data" / "interventions.json"


def interventions():
    """{cluster slug: [intervention spec]} as demo_data/interventions.json writes them."""
    return json.loads(DATA.read_text(encoding="utf-8"))


RETURN_REASON = "La fuente no indica la fecha del padrón de criadores: adjunte el acta del taller."
SOURCES = ["Registro del programa", "Padrón de beneficiarios", "Encuesta de seguimiento", "Informe trimestral"]


def _split(total, shares):
    """Whole parts of ``total`` in these shares that add up exactly to it."""
    parts = [int(total * Decimal(str(share))) for share in shares[:-1]]
    parts.append(int(total) - sum(parts))
    return [Decimal(part) for part in parts]


def _measurements(indicator, spec, rng, *, recorder, reviewer, returned):
    reached, breakdown = spec["reached"], spec["breakdown"]
    if reached is None:
        return
    baseline, target = Decimal(spec["baseline"]), Decimal(spec["target"])
    points = len(QUARTERS)
    for position, date in enumerate(QUARTERS, start=1):
        share = reached * position / points + rng.uniform(-0.04, 0.04)
        value = (baseline + (target - baseline) * Decimal(str(round(share, 3)))).quantize(Decimal("1"))
        fields = {"date": date, "value": value, "source": SOURCES[position % len(SOURCES)], "note": ""}
        if breakdown == "sex":
            women, men = _split(value, [0.56, 0.44])
            fields.update(value_women=women, value_men=men)
        elif breakdown == "size" and value > 0:
            micro, small, medium, large = _split(value, [0.5, 0.3, 0.15, 0.05])
            fields.update(value_micro=micro, value_small=small, value_medium=medium, value_large=large)
        if position == points and breakdown == "sex":
            # The last, still pending, value has a breakdown that does not add up: the page warns about it.
            fields["value_women"] = fields["value_women"] - 2
        measurement = services.measurement_create(indicator=indicator, recorded_by=recorder, **fields)
        if position >= points - 1:
            if returned and position == points - 1:
                services.measurement_return(measurement=measurement, reviewer=reviewer, reason=RETURN_REASON)
            continue  # the last quarters wait for review
        services.measurement_approve(measurement=measurement, reviewer=reviewer)


def _activities(intervention, specs, rng, *, user):
    for number, spec in enumerate(specs):
        women, men = rng.randint(6, 30), rng.randint(4, 25)
        services.activity_create(
            intervention=intervention,
            created_by=user,
            date=datetime.date(2024, 3 + 3 * number, rng.randint(5, 25)),
            kind=spec["kind"],
            title=spec["title"],
            place=spec["place"],
            women=women,
            men=men,
            firms_micro=rng.randint(2, 12),
            firms_small=rng.randint(0, 6),
            firms_medium=rng.randint(0, 3),
            firms_large=rng.randint(0, 1),
            notes="",
        )


def build(stdout=None):
    """Create the demo interventions of every demo cluster (or leave the existing ones as they are)."""
    coordinator = User.objects.get(username="coordinador")
    # Four eyes: the programme's administrator records the values, the coordinator reviews them (and may
    # approve the pending ones in the demo).
    recorder = User.objects.filter(username="admin").first() or coordinator
    instruments = {it.code: it for it in InstrumentType.objects.filter(is_local=False)}
    created = 0
    for slug, specs in interventions().items():
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None:
            continue
        members = {actor.name: actor for actor in Actor.objects.filter(memberships__cluster=cluster)}
        rng = random.Random(f"instruments-{slug}")
        for spec in specs:
            if Intervention.objects.filter(cluster=cluster, title=spec["title"]).exists():
                continue
            intervention = services.intervention_create(
                cluster=cluster,
                created_by=coordinator,
                instrument_type=instruments[spec["instrument"]],
                title=spec["title"],
                objective=spec["objective"],
                government_level=spec["level"],
                focus=spec["focus"],
                start_date=START,
                end_date=END if spec["status"] != "finished" else datetime.date(2025, 9, 30),
                budget_planned=Decimal(spec["budget"]["planned"]),
                budget_executed=Decimal(spec["budget"]["executed"]),
                overspend_justification=spec.get("justification", ""),
                status=spec["status"],
                implementing_institutions=[members[name] for name in spec["implementing"]],
                funding_institutions=[members[name] for name in spec["funding"]],
                beneficiaries=[members[name] for name in spec["beneficiaries"]],
            )
            for number, indicator_spec in enumerate(spec["indicators"]):
                indicator = services.indicator_create(
                    intervention=intervention,
                    created_by=coordinator,
                    name=indicator_spec["name"],
                    unit=indicator_spec["unit"],
                    direction=indicator_spec["direction"],
                    baseline_value=Decimal(indicator_spec["baseline"]),
                    baseline_date=START,
                    target_value=Decimal(indicator_spec["target"]),
                    target_date=END,
                )
                _measurements(
                    indicator,
                    indicator_spec,
                    rng,
                    recorder=recorder,
                    reviewer=coordinator,
                    returned=spec.get("returned", False) and number == 1,
                )
            _activities(intervention, spec["activities"], rng, user=coordinator)
            created += 1
    if stdout:
        stdout.write(f"Demo instruments: {created} interventions added, {Intervention.objects.count()} in all.")
