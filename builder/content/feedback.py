""""You said, we did": what children, young people and families told the council, and what it
did about it (content/feedback/). Section 30(6) of the Children and Families Act 2014 asks a
council to publish such comments about its local offer and its response.

The words of the kind live here, beside nothing else, so the schema (builder.content.validate),
the page model and the templates all read one list of statuses and sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.content.dates import PartialDate
from builder.i18n import N_

KIND = "feedback"
# The same words as commitments' statuses where they mean the same ("in progress", "done"), so
# a family reads one vocabulary across the site; "planned" is an action agreed but not begun.
FEEDBACK_STATUSES = ("planned", "in progress", "done")
FEEDBACK_STATUS_LABELS = {"planned": N_("Planned"), "in progress": N_("In progress"), "done": N_("Done")}
# What the response is called, by status: "We will", "We are doing", "We did".
RESPONSE_HEADINGS = {"planned": N_("We will"), "in progress": N_("We are doing"), "done": N_("We did")}
# Where the council heard it. A closed list, so every site words it the same way in each language.
CHANNELS = ("survey", "forum", "complaint", "meeting", "consultation", "email", "other")
CHANNEL_LABELS = {
    "survey": N_("Survey"), "forum": N_("Parent carer or youth forum"), "complaint": N_("Complaint"),
    "meeting": N_("Meeting or event"), "consultation": N_("Consultation"), "email": N_("Email or letter"),
    "other": N_("Other"),
}

# What templates look up with feedback_label(which, value), in the page's language.
LABELS = {"status": FEEDBACK_STATUS_LABELS, "came_from": CHANNEL_LABELS, "response": RESPONSE_HEADINGS}


@dataclass(frozen=True)
class Feedback:
    """One entry's own facts; its title, date, topics and commitments are the page's."""

    said: str  # what children, young people or families told us
    came_from: str  # one of CHANNELS
    heard: PartialDate  # when
    did: str  # what we did, are doing or will do
    status: str  # one of FEEDBACK_STATUSES
