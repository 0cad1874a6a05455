"""Folder boundaries: claims/ never imports Apache Beam, pipelines/ DoFns build nothing heavy before setup(), and
no code evaluates or unpickles what it reads."""
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


PIPELINES = CLAIMS.parent / "pipelines"


def _is_dofn(node: ast.ClassDef) -> bool:
    """A DoFn or CombineFn, whether its base is written beam.DoFn or DoFn."""
    names = {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in node.bases}
    return bool(names & {"DoFn", "CombineFn"})


def _is_super_init(stmt: ast.stmt) -> bool:
    """`super().__init__()`: the base class's constructor, held to the same rule where it is defined."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call) and getattr(call.func.value.func, "id", "") == "super")


def _cheap(value: ast.expr, params: set[str]) -> bool:
    """A constructor argument, or a Beam counter (Metrics.counter(...)): nothing to load or connect."""
    if isinstance(value, ast.Name):
        return value.id in params
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return isinstance(value.func.value, ast.Name) and value.func.value.id == "Metrics"
    return isinstance(value, ast.Constant)


def test_dofn_constructors_keep_only_parameters_and_counters():
    """Anything heavier belongs in setup(), which every runner calls on the worker, not at pipeline build time."""
    offenders, checked = [], 0
    for path in sorted(PIPELINES.glob("*.py")):
        for cls in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not (isinstance(cls, ast.ClassDef) and _is_dofn(cls)):
                continue
            checked += 1
            for init in (f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"):
                params = {a.arg for a in init.args.args}
                for stmt in init.body:
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else []
                    values = stmt.value.elts if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple) \
                        else [stmt.value] if isinstance(stmt, ast.Assign) else []
                    ok = targets and all(_cheap(v, params) for v in values)
                    if not ok and not _is_super_init(stmt) and not (isinstance(stmt, ast.Expr)
                                                                    and isinstance(stmt.value, ast.Constant)):
                        offenders.append(f"{path.name}:{stmt.lineno} {cls.name}")
    assert checked >= 9 and offenders == []


def test_no_module_keeps_global_state():
    """Workers are separate processes on most runners: a `global` statement would hold state that only one sees."""
    offenders = [f"{path.relative_to(CLAIMS.parent)}:{node.lineno}"
                 for folder in (CLAIMS, PIPELINES) for path in sorted(folder.rglob("*.py"))
                 for node in ast.walk(ast.parse(path.read_text(), filename=str(path))) if isinstance(node, ast.Global)]
    assert offenders == []


# Calls that would run or rebuild objects from data: input articles, targets and outputs are never read this way.
_UNSAFE_CALLS = {("eval",), ("exec",), ("compile",), ("pickle", "loads"), ("pickle", "load"), ("marshal", "loads"),
                 ("marshal", "load"), ("yaml", "load"), ("yaml", "unsafe_load"), ("dill", "loads"), ("dill", "load"),
                 ("os", "system"), ("subprocess", "getoutput")}


def _is_shell(keyword: ast.keyword) -> bool:
    return keyword.arg == "shell" and getattr(keyword.value, "value", False) is True


def _call_name(call: ast.Call) -> tuple[str, ...]:
    func = call.func
    if isinstance(func, ast.Name):
        return (func.id,)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return (func.value.id, func.attr)
    return ()


def test_no_code_evaluates_or_unpickles_data():
    offenders, files = [], 0
    for folder in ("claims", "pipelines", "schemas", "benchmarks"):
        for path in sorted((CLAIMS.parent / folder).rglob("*.py")):
            files += 1
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _call_name(node) in _UNSAFE_CALLS:
                    offenders.append(f"{path.relative_to(CLAIMS.parent)}:{node.lineno} {'.'.join(_call_name(node))}")
                if isinstance(node, ast.keyword) and _is_shell(node):
                    offenders.append(f"{path.relative_to(CLAIMS.parent)}:{node.lineno} shell=True")
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    offenders += [f"{path.relative_to(CLAIMS.parent)}:{node.lineno} imports {n}" for n in names
                                  if n.split(".")[0] in ("pickle", "marshal", "yaml", "shelve")]
    assert files >= 30 and offenders == []


def test_the_unsafe_call_check_finds_what_it_looks_for():
    tree = ast.parse("import pickle\npickle.loads(b'')\neval('1')\nsubprocess.run('ls', shell=True)\n")
    found = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)} & _UNSAFE_CALLS
    assert found == {("pickle", "loads"), ("eval",)}
    assert [n.arg for n in ast.walk(tree) if isinstance(n, ast.keyword) and _is_shell(n)] == ["shell"]
