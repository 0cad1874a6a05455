"""claims/ is pure domain logic: it must never import Apache Beam."""
import ast
import subprocess
import sys
from pathlib import Path

CLAIMS = Path(__file__).resolve().parents[1] / "claims"


def test_no_module_in_claims_imports_beam():
    offenders = []
    for path in sorted(CLAIMS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "apache_beam"]
    assert offenders == []


def test_importing_every_claims_module_loads_no_beam():
    modules = sorted(p.stem for p in CLAIMS.glob("*.py") if p.stem != "__init__")
    code = ("import sys\n" + "".join(f"import claims.{m}\n" for m in modules) +
            "print(any(name.split('.')[0] == 'apache_beam' for name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) >= 8 and out.stdout.strip() == "False"
