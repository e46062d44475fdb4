"""Names are listed as a Spanish dictionary lists them: Áncash among the A's, Cámara before Cooperativa,
Ñuñoa after Nazca; by the database (a collation), on SQLite as on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.collation import SPANISH, sort_key, spanish
from clusters.models import Actor, Region
from tests import factories as f

pytestmark = pytest.mark.django_db

SPANISH_ORDER = ["abeja", "Ábside", "Amazonas", "Áncash", "Apurímac", "cabana", "Cámara", "Cooperativa", "Nazca"]
SPANISH_ORDER += ["Ñuñoa", "Oxapampa", "Zaña"]


def test_the_sort_key_orders_names_as_a_spanish_dictionary():
    shuffled = [*SPANISH_ORDER[6:], *SPANISH_ORDER[:6]]
    assert sorted(shuffled, key=sort_key) == SPANISH_ORDER
    assert sorted(["peña", "pena", "penz"], key=sort_key) == ["pena", "penz", "peña"]


def test_sqlite_sorts_with_the_same_collation_in_the_database():
    names = list(reversed(SPANISH_ORDER))
    Actor.objects.bulk_create(Actor(name=name, name_key=name.casefold(), kind="firm") for name in names)
    ordered = Actor.objects.filter(name__in=names).order_by(spanish("name")).values_list("name", flat=True)
    assert list(ordered) == SPANISH_ORDER
    backwards = Actor.objects.filter(name__in=names).order_by(spanish("name").desc()).values_list("name", flat=True)
    assert list(backwards) == SPANISH_ORDER[::-1]


def _names_in(html, testid):
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/actors/\d+/">([^<]+)</a>', table)


def test_the_actor_list_is_in_spanish_order(client_for, world):
    for name in ("Cooperativa Agraria Cabana", "Cámara de Comercio de Puno", "Ñandú Textil", "Nazca Fibras"):
        f.MembershipFactory(cluster=world.cluster_a, actor=f.ActorFactory(name=name))
    client = client_for(world.users["coordinator"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("clusters:actor_list")).content.decode()
    names = _names_in(page, "actors")
    assert names == sorted(names, key=sort_key)
    assert names.index("Cámara de Comercio de Puno") < names.index("Cooperativa Agraria Cabana")
    assert names.index("Nazca Fibras") < names.index("Ñandú Textil") < names.index("Textil Altiplano S.A.C.")
    assert any(f'COLLATE "{SPANISH}"' in query["sql"] for query in queries.captured_queries)


def test_the_cluster_list_sorts_by_name_in_spanish_both_ways(client_for, world):
    for name in ("Ñame de la Selva", "Ají Amarillo", "Agroexportación del Norte"):
        f.ClusterFactory(name=name)
    client = client_for(world.users["coordinator"])

    def names(sort=None):
        page = client.get(reverse("clusters:list"), {"sort": sort} if sort else {}).content.decode()
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        return re.findall(r'<a href="/clusters/[\w-]+/">([^<]+)</a>', body)

    expected = sorted(names(), key=sort_key)
    assert names() == expected
    assert names("name") == expected
    assert names("-name") == expected[::-1]
    assert expected.index("Ají Amarillo") < expected.index("Café del Perú") < expected.index("Ñame de la Selva")


def test_department_choices_put_ancash_among_the_a(client_for, world):
    client = client_for(world.users["coordinator"])
    form = client.get(reverse("clusters:actor_create")).content.decode()
    select = form.split('name="department"', 1)[1].split("</select>", 1)[0]
    departments = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert departments[:4] == ["Amazonas", "Áncash", "Apurímac", "Arequipa"]
    assert departments == sorted(departments, key=sort_key)
    filters = client.get(reverse("clusters:actor_list")).content.decode()
    assert filters.index(">Áncash<") < filters.index(">Apurímac<")
    provinces = client.get(reverse("clusters:region_children", kwargs={"code": "02"})).json()
    names = [child["name"] for child in provinces["children"]]
    assert len(names) == Region.objects.filter(parent__code="02").count() > 1
    assert names == sorted(names, key=sort_key)


def test_actors_with_as_many_ties_are_ranked_by_name_in_spanish():
    from clusters.selectors import summarise_network

    members = [(1, "Búho Textil", "firm"), (2, "Ámbar Hilados", "firm"), (3, "Centro", "university")]
    ties = [(3, 1, "trains"), (3, 2, "trains")]
    summary = summarise_network(members, ties, layout=False)
    assert [ranked.name for ranked in summary.top_degree] == ["Centro", "Ámbar Hilados", "Búho Textil"]
