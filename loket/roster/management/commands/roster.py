"""`loket roster bench --staff N --days D --seed S --out FILE.json`: generate, solve, write.

Progress lines go to stderr; the last line on stdout is a JSON object with status, seconds,
objective and bound (and the gap, the shortages count and whether every rule is met).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from loket.roster import instance
from loket.roster.solver import explain, solve


class Command(BaseCommand):
    help = "Piket roster tools: `bench` generates an office, solves its month, writes JSON."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        bench = sub.add_parser("bench", help="generate an office, solve it, write a roster JSON")
        bench.add_argument("--staff", type=int, default=200)
        bench.add_argument("--days", type=int, default=31)
        bench.add_argument("--seed", type=int, default=1)
        bench.add_argument("--out", required=True)
        bench.add_argument("--time-limit", type=float, default=9.5)
        bench.add_argument("--workers", type=int, default=2)
        bench.add_argument(
            "--infeasible",
            action="store_true",
            help="make one day impossible (most KTP-el recorders on leave) to see the explanation",
        )

    def handle(self, *args, **options) -> None:
        if options["action"] != "bench":
            raise CommandError("unknown action")
        if options["staff"] < 1 or options["days"] < 1:
            raise CommandError("--staff and --days must be positive")
        problem = instance.generate(
            options["staff"], options["days"], options["seed"], options["infeasible"]
        )
        self.stderr.write(
            f"{len(problem.staff)} staff, {len(problem.days)} days "
            f"({len(problem.working)} working), cap {problem.max_in_office}, "
            f"min per skill {problem.min_per_skill}",
        )
        solution = solve(
            problem,
            time_limit=options["time_limit"],
            workers=options["workers"],
            progress=self.stderr.write,
        )
        with open(options["out"], "w") as fh:
            json.dump(instance.to_document(problem, solution), fh, indent=1)
        explanation = explain(solution.shortages)
        for line in explanation:
            self.stderr.write(line)
        summary = {
            # INFEASIBLE: the rules cannot all be met; `explanation` says where (the best roster
            # the solver found, with the shortages it needed, is in the file).
            "status": solution.status
            if solution.feasible or not solution.shortages
            else "INFEASIBLE",
            "solver_status": solution.status,
            "seconds": round(solution.seconds, 3),
            "objective": solution.objective,
            "bound": solution.bound,
            "gap": solution.gap,
            "rules_met": solution.feasible,
            "shortages": len(solution.shortages),
            "explanation": explanation,
        }
        self.stdout.write(json.dumps(summary))
