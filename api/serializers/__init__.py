"""What the API returns, one module per area as the views: stable English field names, typed values, links
to the site's pages.

Read serializers only turn stored rows into JSON; writes are validated by the site's own forms and
saved by the services (see api/views/). Related objects are never offered as choices, so nothing
outside what the reader may see can appear in a form of the browsable API or in an error.
"""
