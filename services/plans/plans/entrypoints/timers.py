"""A nameko timer whose interval comes from the service's config (so tests can speed it up)."""
from __future__ import annotations

from nameko.timer import Timer


class ConfiguredTimer(Timer):
    def __init__(self, config_key: str, default_seconds: float, **kwargs):
        super().__init__(interval=default_seconds, **kwargs)
        self.config_key = config_key

    def setup(self):
        super().setup()
        self.interval = float(self.container.config.get(self.config_key, self.interval))


configured_timer = ConfiguredTimer.decorator
