from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "اخبار"

    def ready(self):
        from core.caching import register_schedule
        from news.models import Article

        # A scheduled article appears without a save: cached pages must not outlive its time.
        register_schedule(Article.objects.next_publish_at)
