package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.system != 'ContactHistory' || self.type in ['Interaction', 'Contact']",
    message = "source.type must be Interaction or Contact when source.system is ContactHistory",
    fieldPath = ".type")
@ValidationRule(
    value = "self.system != 'IWD' || self.type == 'Event'",
    message = "source.type must be Event when source.system is IWD",
    fieldPath = ".type")
@ValidationRule(
    value =
        "!has(self.mediaTypes) || (self.system == 'ContactHistory' && self.type == 'Interaction')",
    message =
        "mediaTypes applies only to source.system ContactHistory with source.type Interaction:"
            + " remove it",
    fieldPath = ".mediaTypes",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.entityTypes) || self.system == 'IWD'",
    message = "entityTypes applies only to source.system IWD: remove it",
    fieldPath = ".entityTypes",
    reason = "FieldValueForbidden")
public class Source {
  // A string checked by CEL rather than an enum, so that InfoMart gets its own message.
  @Required
  @ValidationRule(
      value = "self != 'InfoMart'",
      message = "Info Mart exports are not supported: use ContactHistory or IWD")
  @ValidationRule(
      value = "self == 'InfoMart' || self in ['ContactHistory', 'IWD']",
      message = "source.system must be ContactHistory or IWD")
  @JsonPropertyDescription("Source system: ContactHistory or IWD. Info Mart is not supported.")
  public String system;

  @Required
  @JsonPropertyDescription("Record type: Interaction or Contact for ContactHistory, Event for IWD.")
  public SourceType type;

  @Size(max = 64)
  @ValidationRule(
      value = "size(self) > 0",
      message = "select at least one media type, or omit the field for all")
  @JsonPropertyDescription(
      "Media types to export (ContactHistory Interaction only), lowercase identifiers such as"
          + " chat, email, voice, workitem; each at most once. Omitted means all media types.")
  public List<String> mediaTypes;

  @Size(max = 64)
  @ValidationRule(
      value = "size(self) > 0",
      message = "select at least one entity type, or omit the field for all")
  @JsonPropertyDescription(
      "Entity types to export (IWD only), lowercase identifiers such as workitem; each at most"
          + " once. Omitted means all entity types.")
  public List<String> entityTypes;

  @Default("true")
  @JsonPropertyDescription(
      "Interaction exports: also export the attachments of the exported interactions, as a"
          + " separate file set of the run (attachments-00000.jsonl.gz..., content base64, linked"
          + " by interaction_id), so that large attachments never bloat the interaction files."
          + " Record types without attachments ignore it.")
  public Boolean includeAttachments;

  @JsonPropertyDescription(
      "Secret with the source database connection (keys: url, user, password). Omitted: the"
          + " Secret cdds-source-contacthistory or cdds-source-iwd in the job's namespace.")
  public SecretReference secretRef;
}
