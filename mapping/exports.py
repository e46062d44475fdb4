"""The prioritisation as an XLSX workbook: the ranking, the criteria, the weights and the method."""

import io

import openpyxl
from django.utils.translation import gettext as _

from clusters.spreadsheets import safe_cell


def prioritisation_workbook(result):
    """Bytes of an XLSX file with the ranking (sheet 1) and the weights used (sheet 2)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    criteria = result.rows[0].criteria if result.rows else []
    header = [
        _("Rank"),
        _("Cluster"),
        _("Score"),
        _("Keeps its rank in"),
        _("Scenarios"),
        _("Best rank"),
        _("Worst rank"),
    ]
    header += [f"{item.label}" for item in criteria]
    header += [_("%(criterion)s (normalised)") % {"criterion": item.label} for item in criteria]
    sheet.append(header)
    for row in result.rows:
        sheet.append(
            [row.rank, safe_cell(row.name), round(row.score, 4), row.kept, row.scenarios, row.best_rank, row.worst_rank]
            + [item.raw for item in row.criteria]
            + [round(item.normalised, 4) for item in row.criteria]
        )
    weights = workbook.create_sheet(_("Weights")[:31])
    weights.append([_("Criterion"), _("Weight"), _("Used"), _("Less is better")])
    for item in criteria:
        weights.append(
            [
                item.label,
                float(item.weight),
                _("yes") if item.criterion in {c.value for c in result.used} else _("no"),
                _("yes") if item.lower_is_better else _("no"),
            ]
        )
    method = workbook.create_sheet(_("Method")[:31])
    dataset = result.dataset
    lines = [
        _("Dataset: %(name)s (%(source)s)") % {"name": dataset.name, "source": dataset.source} if dataset else "",
        _("Illustrative data, not official figures.") if dataset and dataset.illustrative else "",
        _("Each criterion is normalised min-max across the registered clusters; the score is the weighted mean."),
        _("Sensitivity: each weight moved by -%(step)s%% and +%(step)s%%, one at a time.")
        % {"step": round(result.step * 100)},
    ]
    for line in lines:
        if line:
            method.append([safe_cell(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
