"""Articles: the ``PUT /articles`` upsert keyed by articleNumber, GetArticleModel output, list filters.

[inferred] An update merges: fields present in the body replace the stored ones, absent fields keep
their values (the daemon always sends its full model anyway).
"""

from __future__ import annotations

from typing import Any

from .inventory import inventory_info
from .payload import Reader, read_upsert
from .query import Query
from .store import Article, Store
from .times import iso

NUMERIC = frozenset(
    {
        "weight", "netWeight", "length", "width", "height", "volume",
        "purchasePrice", "stockValuationPrice", "customerPrice",
        "quantityPerPackage", "quantityPerPallet", "quantityPerLayerOnPallet", "subQuantityPerItem",
        "stockLimit", "minimumReorderQuantity",
    }
)  # fmt: skip
FLAGS = ("isStockArticle", "isActive")
OBJECTS = ("articleGroup", "articleCategory", "articleColor", "articleSize", "supplierInfo", "barCodeInfo",
           "freeValues")  # fmt: skip
SYSTEM = frozenset({"goodsOwnerId", "articleNumber", "articleSystemId"})


def upsert(store: Store, body: dict[str, Any]) -> tuple[Article, bool]:
    """Create or update the article named by ``articleNumber``; returns it and whether it is new."""
    reader, number = read_upsert(body, store.goods_owner_id, "articleNumber")
    fields = _read_fields(reader)
    reader.problems.raise_if_any()
    now = store.stamps.next()
    article = store.article_by_number(number)
    if article is None:
        article = Article(next(store.article_ids), number, fields, now, now)
        store.articles[article.id] = article
        return article, True
    article.fields.update(fields)
    article.data_updated = now
    return article, False


def _read_fields(reader: Reader) -> dict[str, Any]:
    reader.text("articleName")
    for flag in FLAGS:
        reader.boolean(flag)
    for key in OBJECTS:
        reader.child(key)
    storage = reader.child("storageProperties")
    if storage is not None:
        for flag in ("isObsolete", "isSerialNumberArticle", "isBatchArticle", "isExpiryDateArticle"):
            storage.boolean(flag)
    return reader.echo(NUMERIC, SYSTEM)


def view(store: Store, article: Article) -> dict[str, Any]:
    return {
        **article.fields,
        "goodsOwner": store.goods_owner(),
        "articleSystemId": article.id,
        "articleNumber": article.number,
        "articleKind": "Standard",
        "articleDataLastUpdated": iso(article.data_updated),
        "inventoryInfo": inventory_info(store, article),
    }


def select(store: Store, query: Query) -> list[Article]:
    query.goods_owner(store.goods_owner_id)
    numbers = set(query.texts("articleNumbers")) | set(query.texts("articleNumber"))
    product_codes = set(query.texts("productCodes")) | set(query.texts("productCode"))
    stock_from = query.instant("stockInfoChangedFrom")
    data_from = query.instant("articleDataLastUpdatedFrom")
    in_stock = query.flag("onlyArticlesInStock")

    def wanted(article: Article) -> bool:
        return (
            (not numbers or article.number in numbers)
            and (not product_codes or article.fields.get("productCode") in product_codes)
            and (stock_from is None or article.stock_changed >= stock_from)
            and (data_from is None or article.data_updated >= data_from)
            and (not in_stock or article.physical > 0)
        )

    return query.page(filter(wanted, store.articles.values()), "articleSystemIdFrom", "maxArticlesToGet")
