from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seoulhub.text import embed


class StoryCluster(models.Model):
    """Articles from different sources that report the same story (near-duplicates by MinHash)."""

    title = models.CharField(_("title"), max_length=500)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    size = models.PositiveIntegerField(_("articles"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-first_published_at", "-id"]
        verbose_name = _("story cluster")
        verbose_name_plural = _("story clusters")

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """One processed feed item. `search_text` is the normalised token stream both search engines index."""

    source = models.ForeignKey(
        "radar.Source", on_delete=models.CASCADE, related_name="articles", verbose_name=_("source")
    )
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    canonical_url = models.CharField(_("canonical URL"), max_length=2000, blank=True, db_index=True)
    guid = models.CharField(_("feed GUID"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    summary_html = models.TextField(_("summary (sanitised HTML)"), blank=True)
    text = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    search_text = models.TextField(_("search tokens"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    relevance = models.FloatField(_("digital-technology relevance"), default=0.0)
    is_digital = models.BooleanField(_("digital technology"), default=False)
    embedding = models.BinaryField(_("embedding (512 x float16)"), null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    minhash = models.BinaryField(_("MinHash signature"), null=True, blank=True)
    # Indexed together with published_at below: a results page walks each story's members in
    # publication order from the index alone.
    cluster = models.ForeignKey(
        StoryCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("story"),
        db_index=False,
    )
    technologies = models.ManyToManyField(
        "taxonomy.Technology", through="radar.ArticleTechnology", related_name="articles", blank=True
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"], condition=~models.Q(guid=""), name="radar_article_unique_guid_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at"], name="radar_article_published_idx"),
            # id too: a story's members in order are read from the index alone on PostgreSQL as well.
            models.Index(fields=["cluster", "published_at", "id"], name="radar_article_cluster_idx"),
            models.Index(fields=["language", "-published_at"], name="radar_article_lang_idx"),
            models.Index(fields=["source", "-published_at"], name="radar_article_source_idx"),
            models.Index(fields=["is_digital", "-published_at"], name="radar_article_digital_idx"),
            # The articles still waiting for their sentence vector (and so for their final verdict):
            # a few hundred at most, counted on the radar pages and picked by the embedding job.
            models.Index(fields=["id"], condition=models.Q(embedding=None), name="radar_article_unembedded_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("radar:article", args=[self.pk])

    def embedding_vector(self):
        """The stored embedding as a float32 numpy vector, or None."""
        return embed.from_bytes(self.embedding)


class ArticleTechnology(models.Model):
    """A technology an article is about, with the tagger's score and the aliases that fired."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="technology_links")
    technology = models.ForeignKey("taxonomy.Technology", on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(_("score"))
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("article technology")
        verbose_name_plural = _("article technologies")
        constraints = [models.UniqueConstraint(fields=["article", "technology"], name="radar_article_tech_unique")]
        indexes = [models.Index(fields=["technology", "article"], name="radar_arttech_tech_idx")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.technology_id} {self.score:.2f}"
