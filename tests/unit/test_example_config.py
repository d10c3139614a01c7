"""The documented example must stay a valid config: it is what operators copy."""

from pathlib import Path

from daemon.config.loader import load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rackbeat-sync.example.toml"


def test_example_config_is_valid_and_documents_every_key(tmp_path, monkeypatch):
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "shopify-webhook-secret").write_text("s")
    env = {
        "RACKBEAT_TOKEN": "rb",
        "SHOPIFY_TOKEN": "sh",
        "WOO_KEY": "ck",
        "WOO_SECRET": "cs",
        "WOO_WEBHOOK_SECRET": "ws",
        "ONGOING_PASSWORD": "op",
        "CREDENTIALS_DIRECTORY": str(creds),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = load_config(EXAMPLE, env)
    text = EXAMPLE.read_text()
    documented = {line.split("=")[0].strip().lstrip("# ") for line in text.splitlines() if "=" in line}
    tables = [line.lstrip("# ") for line in text.splitlines() if line.lstrip("# ").startswith("[")]
    documented |= {table.split("]")[0].strip("[").split(".")[-1] for table in tables}
    for section in (config.daemon, config.rackbeat, config.shops[0], config.rackbeat.rate, config.shops[0].orders,
                    config.shops[0].stock, config.shops[0].products, config.ongoing[0], config.ongoing[0].flows):
        missing = set(type(section).model_fields) - documented
        assert not missing, f"{type(section).__name__} keys not documented in the example: {missing}"
