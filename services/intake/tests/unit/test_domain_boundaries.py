import ast
import sys
from pathlib import Path

import intake.domain

DOMAIN = Path(intake.domain.__file__).parent
ALLOWED_OUTSIDE_STDLIB = {"reintegra.money"}


def imported_modules(source: Path):
    tree = ast.parse(source.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_domain_imports_only_the_standard_library():
    foreign = {f"{path.name}: {module}"
               for path in DOMAIN.glob("*.py") for module in imported_modules(path)
               if module.split(".")[0] not in sys.stdlib_module_names
               and module not in ALLOWED_OUTSIDE_STDLIB}
    assert foreign == set()
