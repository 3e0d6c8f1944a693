"""`crosswire eval conflicts PAIRS.jsonl`: conflict detection quality on the benchmark's tiers."""
from __future__ import annotations

import click

from crosswire.cli import AppContext, eval_group
from crosswire.cli.output import emit_json, progress_bar


@eval_group.command(name="conflicts")
@click.argument("pairs", type=click.Path(dir_okay=False))
@click.option("--predictions", "predictions_out", type=click.Path(dir_okay=False),
              help="Write one prediction line per pair (the official scorer's input).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.pass_obj
def eval_conflicts(app: AppContext, pairs: str, predictions_out: str | None, as_json: bool) -> None:
    """Run the comparison on every pair and print P/R/F1, per-kind recall, false alarms, unverified flags."""
    from crosswire.eval import check_writable
    from crosswire.eval.conflicts import evaluate, load_pairs
    total = len(load_pairs(pairs))
    check_writable(predictions_out)  # before the bar and the minutes of comparing, not after
    with progress_bar("Comparing pairs", total, enabled=not as_json) as advance:
        report = evaluate(pairs, app.settings, predictions_out, progress=advance)
    if as_json:
        emit_json(report)
        return
    click.echo(f"pairs {report['pairs']}  precision {report['precision']:.3f}  recall {report['recall']:.3f}  "
               f"F1 {report['f1']:.3f}  ({report['seconds']} s)")
    for tier, block in report["tiers"].items():
        extra = (f"agreements flagged {block['agreements_flagged']} ({block['agreements_flagged_share']:.1%}), "
                 f"unverified {block['unverified_per_pair']}/pair" if tier == "cross"
                 else f"clean pairs flagged {block['clean_pairs_flagged']} ({block['clean_flagged_share']:.1%})")
        click.echo(f"  {tier:>5}: P {block['precision']:.3f} R {block['recall']:.3f} F1 {block['f1']:.3f}; {extra}")
        click.echo("         recall by kind: " + ", ".join(f"{k} {v}" for k, v in block["recall_by_kind"].items()))
