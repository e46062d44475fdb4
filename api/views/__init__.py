"""The API's endpoints, one module per area as on the site (registry, surveys, instruments, reports), each
the page's permission, the page's scoping (``clusters.access`` and the apps' ``visible_*`` selectors), the
page's filters, and for writes the page's form and service. ``base`` holds what every resource shares."""
