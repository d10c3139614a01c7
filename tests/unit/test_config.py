from pathlib import Path

import pytest

from daemon.config.loader import ConfigError, load_config

VALID = """
[daemon]
listen = "127.0.0.1:9000"

[rackbeat]
token = "rb-token-123"

[[shops]]
id = "shop-a"
type = "shopify"
api_url = "https://shop-a.myshopify.com"
access_token = "env:SHOP_A_TOKEN"
webhook_secret = "file:shop-a-secret"

[[shops]]
id = "woo"
type = "woocommerce"
api_url = "https://woo.example"
consumer_key = "ck_1"
consumer_secret = "cs_1"
webhook_secret = "whsec"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_valid_config_resolves_env_and_file_secrets(tmp_path, monkeypatch):
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "shop-a-secret").write_text("from-file\n")
    env = {"SHOP_A_TOKEN": "from-env", "CREDENTIALS_DIRECTORY": str(creds)}
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    monkeypatch.setenv("SHOP_A_TOKEN", "from-env")
    config = load_config(write(tmp_path, VALID), env)
    shop = config.shop("shop-a")
    assert shop.access_token.get_secret_value() == "from-env"
    assert shop.webhook_secret.get_secret_value() == "from-file"
    assert config.daemon.listen_port == 9000
    assert config.shop("woo").effective_rate.concurrency >= 1
    # Shopify's budget is points: the starting bucket admits any query Shopify accepts (cost <= 1000)
    assert config.shop("shop-a").effective_rate.burst >= 1000


def test_every_problem_is_reported_with_its_key_path(tmp_path, monkeypatch):
    monkeypatch.delenv("MISSING_SECRET", raising=False)
    text = """
[daemon]
listen = "no-port"
[rackbeat]
[[shops]]
id = "a"
type = "magento"
api_url = "http://x"
webhook_secret = "env:MISSING_SECRET"
[[shops]]
id = "b"
type = "woocommerce"
api_url = "http://x"
webhook_secret = "s"
colour = "blue"
"""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), {})
    problems = caught.value.problems
    assert "shops[0].type: must be one of shopify, woocommerce" in problems
    assert "shops[0].webhook_secret: environment variable MISSING_SECRET is not set" in problems
    assert "shops[1].consumer_key: is required for a woocommerce shop" in problems
    assert "shops[1].colour: unknown key" in problems
    assert "rackbeat.token: is required" in problems
    assert any(p.startswith("daemon.listen: must be host:port") for p in problems)


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_A_TOKEN", "t")
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "shop-a-secret").write_text("x")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    env = {
        "SHOP_A_TOKEN": "t",
        "RACKBEAT_SYNC__DAEMON__LISTEN": "0.0.0.0:7000",
        "RACKBEAT_SYNC__SHOPS__1__API_URL": "http://127.0.0.1:1234/woo",
        "DATABASE_URL": "postgresql://u@127.0.0.1/db",
    }
    config = load_config(write(tmp_path, VALID), env)
    assert config.daemon.listen == "0.0.0.0:7000"
    assert config.shops[1].api_url == "http://127.0.0.1:1234/woo"
    assert config.daemon.database_url == "postgresql://u@127.0.0.1/db"


def test_duplicate_shop_ids_are_refused(tmp_path):
    text = VALID.replace('id = "woo"', 'id = "shop-a"').replace("env:SHOP_A_TOKEN", "t").replace(
        "file:shop-a-secret", "s"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), {})
    assert any("duplicate shop id 'shop-a'" in p for p in caught.value.problems)
