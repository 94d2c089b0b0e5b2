from django.db import models


def template_parameters(template: dict) -> list[str]:
    return [
        str(p.get("text", ""))
        for c in template.get("components", [])
        for p in c.get("parameters", [])
    ]


def template_fallback(template: dict) -> str:
    """A template whose text the simulator could not find: its parameters, one per line."""
    return "\n".join(template_parameters(template)) or str(template.get("name", "template"))


class SimulatedMedia(models.Model):
    """A photo, document or voice note the citizen sent: served by the fake media endpoint."""

    media_id = models.CharField(max_length=64, unique=True)
    mime = models.CharField(max_length=100)
    filename = models.CharField(max_length=200, blank=True)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class SimulatedMessage(models.Model):
    """One chat bubble: what the citizen typed or what the Graph API was asked to send."""

    class Direction(models.TextChoices):
        IN = "in", "dari warga"
        OUT = "out", "ke warga"

    phone_number_id = models.CharField(max_length=32)
    wa_id = models.CharField(max_length=32, db_index=True)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    wa_message_id = models.CharField(max_length=200, unique=True)
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_reported = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    @property
    def kind(self) -> str:
        return self.body.get("type", "text")

    @property
    def text(self) -> str:
        kind = self.kind
        if kind == "text":
            return self.body.get("text", {}).get("body", "")
        if kind == "interactive":
            interactive = self.body.get("interactive", {})
            if self.direction == self.Direction.IN:
                reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
                return reply.get("title", "")
            return interactive.get("body", {}).get("text", "")
        if kind == "template":
            return self.body.get("shown") or template_fallback(self.body.get("template", {}))
        media = self.body.get(kind, {}) if isinstance(self.body.get(kind), dict) else {}
        caption = f"\n{media['caption']}" if media.get("caption") else ""
        if kind == "document":
            return f"📄 {media.get('filename', 'dokumen')}{caption}"
        if kind == "image":
            return f"📷 Foto{caption}"
        if kind == "audio":
            return "🎤 Pesan suara" if media.get("voice") else "🎵 Audio"
        return f"[{kind}]"

    @property
    def media_id(self) -> str:
        """The id of the photo, document or voice note the citizen sent, for the page to show."""
        if self.direction != self.Direction.IN:
            return ""
        media = self.body.get(self.kind)
        return str(media.get("id", "")) if isinstance(media, dict) else ""

    @property
    def choices(self) -> list[dict]:
        """Buttons or list rows the citizen can tap."""
        if self.direction != self.Direction.OUT or self.kind != "interactive":
            return []
        interactive = self.body.get("interactive", {})
        action = interactive.get("action", {})
        if interactive.get("type") == "button":
            return [
                {"id": b["reply"]["id"], "title": b["reply"]["title"], "kind": "button_reply"}
                for b in action.get("buttons", [])
            ]
        return [
            {
                "id": r["id"],
                "title": r["title"],
                "description": r.get("description", ""),
                "kind": "list_reply",
            }
            for s in action.get("sections", [])
            for r in s.get("rows", [])
        ]
