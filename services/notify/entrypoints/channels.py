"""The channels configured by settings: log always; SMTP, GOV.UK Notify and webhooks when set up."""

from services.notify.adapters.govuk_notify_channel import GovukNotifyChannel
from services.notify.adapters.log_channel import LogChannel
from services.notify.adapters.smtp_channel import SmtpChannel
from services.notify.adapters.webhook_channel import WebhookChannel
from services.notify.config import NotifySettings


def configured_channels(settings: NotifySettings) -> dict:
    channels = {"log": LogChannel(), "webhook": WebhookChannel(secret=settings.webhook_secret)}
    if settings.smtp_host:
        channels["smtp"] = SmtpChannel(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
                                       username=settings.smtp_username, password=settings.smtp_password,
                                       start_tls=settings.smtp_start_tls)
    if settings.govuk_notify_api_key and settings.govuk_notify_template_id:
        channels["govuk_notify"] = GovukNotifyChannel(api_key=settings.govuk_notify_api_key,
                                                      template_id=settings.govuk_notify_template_id,
                                                      base_url=settings.govuk_notify_base_url)
    return channels
