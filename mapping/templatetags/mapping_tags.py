"""Template helpers of mapping/: cluster stars, heat-map shades, and the "Por qué este clúster" box.

Other apps' templates use them with ``{% load mapping_tags %}`` (no Python import of mapping/ needed):
the cluster page shows ``{% cluster_why cluster %}``.
"""

from django import template

register = template.Library()

# Location-quotient bands of the heat-map (lower bounds); each has a colour class in mapping.css.
HEAT_BANDS = (0.0, 1.0, 1.25, 2.0, 3.0, 5.0)


@register.filter
def heat(location_quotient):
    """The heat-map class of a location quotient: heat-0 (below 1) to heat-5 (5 and more)."""
    if not isinstance(location_quotient, int | float):
        return "heat-none"
    band = sum(1 for bound in HEAT_BANDS[1:] if location_quotient >= bound)
    return f"heat-{band}"


@register.filter
def percent(value, digits=0):
    """0.256 -> "25.6 %" style text through floatformat (localised); None -> "—"."""
    if value is None:
        return "—"
    from django.template.defaultfilters import floatformat

    return f"{floatformat(value * 100, digits)} %"


@register.inclusion_tag("mapping/_stars.html")
def stars(count, size=False, specialisation=False, focus=False):
    return {"count": count or 0, "range": range(3), "size": size, "specialisation": specialisation, "focus": focus}


@register.inclusion_tag("mapping/_why.html", takes_context=True)
def cluster_why(context, cluster):
    """A short "why this cluster" box for the cluster's page: rank, score, stability, stars (a few queries)."""
    from clusters.access import Role, role_of
    from mapping.selectors import cluster_scores

    request = context.get("request")
    user = getattr(request, "user", None)
    # The page that shows the box has already checked that the user may see this cluster; researchers see
    # the scores of the clusters they may see, the others need to read the economic data.
    if user is None or not (role_of(user) == Role.RESEARCHER or user.has_perm("mapping.view_dataset")):
        return {"show": False}
    return {"show": True, "cluster": cluster, "scores": cluster_scores(cluster, cells=0)}
