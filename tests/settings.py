"""The test run's settings: the product's, with the development tools (`trappen demo`,
`trappen benchmark`) installed; subprocesses the tests start inherit the switch."""

import os

os.environ["TRAPPEN_DEV_TOOLS"] = "1"

from trappen.settings import *  # noqa: E402, F403
