"""Forms of the registry, one module per area as its pages (clusters/views/): they turn what people type into
domain values (regions, sizes, actors, ratings) and carry the errors back to the fields."""

from clusters.forms.actors import ActorCreateForm, ActorEditForm, ActorForm, RegionPickerMixin
from clusters.forms.clusters import ClusterForm, HeadlineFigureForm, TeamAddForm, coordinators, parse_ubigeo_codes
from clusters.forms.common import BLANK_CHOICE_LABEL, add_service_errors
from clusters.forms.evaluations import EvaluationForm
from clusters.forms.imports import ActorImportForm
from clusters.forms.members import MembershipAddForm, MembershipForm
from clusters.forms.network import RelationshipForm

__all__ = [
    "BLANK_CHOICE_LABEL",
    "ActorCreateForm",
    "ActorEditForm",
    "ActorForm",
    "ActorImportForm",
    "ClusterForm",
    "EvaluationForm",
    "HeadlineFigureForm",
    "MembershipAddForm",
    "MembershipForm",
    "RegionPickerMixin",
    "RelationshipForm",
    "TeamAddForm",
    "add_service_errors",
    "coordinators",
    "parse_ubigeo_codes",
]
