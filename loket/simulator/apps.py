from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "loket.simulator"
    label = "simulator"
    verbose_name = "Simulator WhatsApp"
