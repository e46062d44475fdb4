"""Demo: finished case studies, so that a newcomer can download one at once.

Built synchronously through the same services as a report job (claim, gather, build, store). Running it
again changes nothing while the finished reports and their files are there.
"""

from django.contrib.auth.models import User

from clusters.models import Cluster
from reports import services
from reports.models import ReportJob

DEMO_CLUSTER = "pelos-finos-camelidos"
DEMO_REQUESTER = "gerente"
LANGUAGES = [ReportJob.Language.SPANISH, ReportJob.Language.ENGLISH]


def build(stdout=None):
    cluster = Cluster.objects.filter(slug=DEMO_CLUSTER).first() or Cluster.objects.order_by("name").first()
    requester = User.objects.filter(username=DEMO_REQUESTER).first()
    if cluster is None or requester is None:
        return
    for language in LANGUAGES:
        finished = ReportJob.objects.filter(
            cluster=cluster, requested_by=requester, language=language, status=ReportJob.Status.DONE
        ).exclude(file="")
        if any(job.file.storage.exists(job.file.name) for job in finished):
            continue
        job = services.report_request(requested_by=requester, cluster=cluster, language=language, enqueue=False)
        claim = services.report_claim(job_id=job.pk, worker=services.this_worker())
        done = services.report_build(claim=claim)
        if stdout is not None:
            stdout.write(f"Demo case study of {cluster.name} ({language}): {done.page_count} pages.")
