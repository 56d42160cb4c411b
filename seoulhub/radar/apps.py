from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _articles_changed(sender, **kwargs):
    from seoulhub.radar.search import catalogue

    catalogue.bump_version()


def _article_saved(sender, created=False, raw=False, **kwargs):
    if not created and not raw:  # a new article arrives by its id; an edited one needs a reload
        _articles_changed(sender)


class RadarConfig(AppConfig):
    name = "seoulhub.radar"
    label = "radar"
    verbose_name = _("Radar")

    def ready(self):
        # Web processes keep article columns for search (radar/search/catalogue.py); a deletion or
        # an edit anywhere, by a command or in the admin, tells them to reload.
        post_delete.connect(_articles_changed, sender="radar.Article", dispatch_uid="radar_columns_article_deleted")
        post_delete.connect(_articles_changed, sender="radar.StoryCluster", dispatch_uid="radar_columns_cluster_deleted")
        post_save.connect(_article_saved, sender="radar.Article", dispatch_uid="radar_columns_article_saved")
