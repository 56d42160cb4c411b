from django.core.management.base import BaseCommand

from seoulhub.core.demo import DEMO_ORDER, load_demo


class Command(BaseCommand):
    help = "Load the bundled real demo data (taxonomy, districts, KSIC, firms, programmes, ...). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", choices=DEMO_ORDER, help="load only these apps' data")

    def handle(self, *args, only=None, **options):
        load_demo(log=lambda line: self.stdout.write(line), only=only)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
