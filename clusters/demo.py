"""Demo programme: accounts, clusters from Peru's 2013 cluster mapping, their actors, networks and evaluations.

The tables are data files in clusters/demo_data/ (accounts, clusters with their headline figures, actors,
what evaluators write); this module writes them through the registry's services. Cluster names come from
the 2013 national cluster mapping (see ../shared/data/peru_clusters_2013.csv and docs/demo.md). Regions the
source did not give, all headline figures and every organisation are illustrative: the figures' source says
so, so that nobody mistakes them for official statistics. Running it again changes nothing (each record is
looked up by its natural key first).
"""

import csv
import datetime
import hashlib
import json
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, User
from stdnum.pe import ruc as stdnum_ruc

from clusters import services
from clusters.access import Role
from clusters.models import Actor, Cluster, Evaluation, Membership, Region, Relationship, Risk, Sector

DEMO_PASSWORD = "casebook-demo"  # noqa: S105 - documented demo password, refused outside DEBUG
DEMO_SOURCE = "Cifra ilustrativa de demostración (no es una estadística oficial)"

DATA = Path(__file__).resolve().parent / "demo_data"


def _json(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _actors_by_cluster():
    """demo_data/actors.csv: cluster slug -> its actors, each a row (name, kind, size, membership role, ubigeo
    department). RUCs are generated with a valid check digit. Organisations are invented for the demo."""
    actors = {}
    with (DATA / "actors.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            actors.setdefault(row["cluster"], []).append(row)
    return actors


def demo_ruc(name):
    """A stable RUC with a valid check digit for a demo organisation (prefix 20: legal persons)."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**8
    body = f"20{digits:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def _ensure_accounts():
    """demo_data/accounts.json: one account per role, with the documented demo password."""
    users = {}
    for account in _json("accounts.json"):
        username, role = account["username"], Role(account["role"])
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": account["first_name"],
                "last_name": account["last_name"],
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        else:
            user.groups.add(Group.objects.get(name=str(role)))
        user.save()
        users[username] = user
    return users


def build(stdout=None):
    """Create (or leave as they are) the demo accounts, clusters, figures, actors and memberships.

    demo_data/clusters.json holds the clusters and their headline figures (metric -> value in 2024; 2022 is
    8 % lower), demo_data/actors.csv their actors. Everything is written through the registry's services,
    as a coordinator's clicks would write it.
    """
    users = _ensure_accounts()
    regions = {r.code: r for r in Region.objects.filter(level=Region.Level.DEPARTMENT)}
    sectors = {s.code: s for s in Sector.objects.all()}
    actors = _actors_by_cluster()
    demo_clusters = _json("clusters.json")
    for row in demo_clusters:
        cluster = Cluster.objects.filter(slug=row["slug"]).first()
        if cluster is None:
            cluster = _create_cluster(row, users, regions, sectors)
        for actor_row in actors.get(row["slug"], []):
            actor = Actor.objects.filter(name=actor_row["name"]).first()
            if actor is None:
                actor = services.actor_create(
                    created_by=users["coordinador"],
                    name=actor_row["name"],
                    kind=actor_row["kind"],
                    size=actor_row["size"],
                    ruc=demo_ruc(actor_row["name"]),
                    region=regions[actor_row["department"]],
                )
            services.membership_create(
                cluster=cluster, actor=actor, role=actor_row["role"], since=datetime.date(2019, 1, 1)
            )
    for cluster in Cluster.objects.filter(slug__in=[row["slug"] for row in demo_clusters]).order_by("pk"):
        build_network(cluster)
        build_evaluations(cluster, users["coordinador"])
    if stdout:
        stdout.write(
            f"Demo registry: {Cluster.objects.count()} clusters, {Actor.objects.count()} actors, "
            f"{Membership.objects.count()} memberships, {Relationship.objects.count()} ties, "
            f"{Evaluation.objects.count()} evaluations."
        )
    return users


def _create_cluster(row, users, regions, sectors):
    cluster = services.cluster_create(
        name=row["name"],
        slug=row["slug"],
        main_sector=sectors[row["main_sector"]],
        stage=row["stage"],
        status=row["status"],
        coordinator=users["coordinador"],
        description=row["description"],
        latitude=Decimal(row["latitude"]),
        longitude=Decimal(row["longitude"]),
        regions=[regions[code] for code in row["departments"]],
        related_sectors=[sectors[code] for code in row["related_sectors"]],
        team=[users[row["team"]]] if row["team"] else (),
    )
    for metric, value in row["figures"].items():
        for year, factor in ((2022, Decimal("0.92")), (2024, Decimal("1"))):
            services.headline_figure_create(
                cluster=cluster,
                metric=metric,
                value=(Decimal(value) * factor).quantize(Decimal("0.01")),
                year=year,
                source=DEMO_SOURCE,
            )
    return cluster


def _pick(rng, actors, count):
    return rng.sample(actors, min(count, len(actors)))


def build_network(cluster):
    """A believable, deterministic network: suppliers supply the core firms, buyers buy from them,
    universities and research centres train and collaborate, financial institutions finance, public
    agencies and associations support, and some firms compete. Seeded by the cluster's slug."""
    rng = random.Random(cluster.slug)
    members = list(Actor.objects.filter(memberships__cluster=cluster).order_by("name"))
    by_kind = {}
    for actor in members:
        by_kind.setdefault(actor.kind, []).append(actor)
    firms = by_kind.get(Actor.Kind.FIRM, [])
    suppliers = by_kind.get(Actor.Kind.SUPPLIER, [])
    knowledge = by_kind.get(Actor.Kind.UNIVERSITY, []) + by_kind.get(Actor.Kind.RESEARCH_CENTRE, [])
    kind = Relationship.Kind
    ties = []
    for supplier in suppliers:
        ties += [(supplier, firm, kind.SUPPLIES) for firm in _pick(rng, firms, rng.randint(2, 3))]
    for buyer in by_kind.get(Actor.Kind.BUYER, []):
        ties += [(buyer, firm, kind.BUYS_FROM) for firm in _pick(rng, firms, rng.randint(2, 3))]
    for institution in knowledge:
        ties += [(institution, firm, kind.TRAINS) for firm in _pick(rng, firms + suppliers, 2)]
        ties += [(institution, firm, kind.COLLABORATES) for firm in _pick(rng, firms, rng.randint(1, 2))]
    if len(knowledge) > 1:
        ties.append((knowledge[0], knowledge[1], kind.COLLABORATES))
    for financier in by_kind.get(Actor.Kind.FINANCIAL_INSTITUTION, []):
        ties += [(financier, firm, kind.FINANCES) for firm in _pick(rng, firms + suppliers, rng.randint(2, 3))]
    for agency in by_kind.get(Actor.Kind.PUBLIC_AGENCY, []):
        ties += [(agency, other, kind.TRAINS) for other in _pick(rng, suppliers + firms, 1)]
        ties += [(agency, other, kind.FINANCES) for other in _pick(rng, firms, 1)]
        ties += [(agency, other, kind.COLLABORATES) for other in _pick(rng, knowledge, 1)]
    for association in by_kind.get(Actor.Kind.BUSINESS_ASSOCIATION, []):
        ties += [(association, firm, kind.COLLABORATES) for firm in _pick(rng, firms, 2)]
    for ngo in by_kind.get(Actor.Kind.NGO, []):
        ties += [(ngo, other, kind.TRAINS) for other in _pick(rng, suppliers + firms, 2)]
    for other in by_kind.get(Actor.Kind.OTHER, []):
        ties += [(other, actor, kind.COLLABORATES) for actor in _pick(rng, firms + knowledge, 2)]
    pairs = [(a, b) for i, a in enumerate(firms) for b in firms[i + 1 :]]
    ties += [(a, b, kind.COMPETES) for a, b in _pick(rng, pairs, max(1, len(pairs) // 3))]
    ties += [(a, b, kind.COLLABORATES) for a, b in _pick(rng, pairs, max(1, len(pairs) // 4))]
    for source, target, tie_kind in ties:
        if source != target:
            services.relationship_create(cluster=cluster, source=source, target=target, kind=tie_kind)


def build_evaluations(cluster, evaluator):
    """One evaluation per cluster (two or three for some, improving over time). Seeded by the slug."""
    # demo_data/evaluations.json: what an evaluator writes when a risk is to watch or serious (illustrative),
    # and the years of the clusters followed for longer, which show a trend.
    data = _json("evaluations.json")
    rng = random.Random(f"evaluation:{cluster.slug}")
    start = [rng.choices((0, 1, 2), weights=(3, 5, 3))[0] for _risk in Risk]
    years = data["years"].get(cluster.slug, (2025,))
    levels = ("no_risk", "watch", "serious")
    for round_number, year in enumerate(years):
        date = datetime.date(year, 6, 30)
        if Evaluation.objects.filter(cluster=cluster, date=date).exists():
            continue
        ratings = {}
        for risk, level in zip(Risk, start, strict=True):
            # Each later round brings some risks one level down: the programme learns.
            improved = max(0, level - sum(1 for _ in range(round_number) if rng.random() < 0.35))
            ratings[risk.value] = (levels[improved], data["notes"][risk.value] if improved else "")
        serious = sum(1 for level, _note in ratings.values() if level == "serious")
        services.evaluation_create(
            cluster=cluster,
            evaluator=evaluator,
            date=date,
            ratings=ratings,
            summary=f"Evaluación anual {year} (ilustrativa): {serious} riesgos graves.",
        )
