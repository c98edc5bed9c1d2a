import { Image, Text, View } from "@react-pdf/renderer";
import type { InvoiceDocumentStatus } from "../document-data.ts";
import { statusMark } from "../labels.ts";
import type { DocumentContext } from "./context.ts";
import { colors, styles } from "./styles.ts";

/** The organization on the left; the document's title, its reference and the status mark on the right. */
export function Header({ ctx, title, subtitle, status }: { ctx: DocumentContext; title: string; subtitle: string; status?: InvoiceDocumentStatus }) {
  const { organization } = ctx.data;
  const mark = status && status !== "open" ? { text: statusMark(ctx.labels, status), color: colors[status] } : null;
  return (
    <View style={styles.header}>
      <View style={styles.organization}>
        {organization.logo ? <Image style={styles.logo} src={{ data: Buffer.from(organization.logo.data), format: organization.logo.format }} /> : null}
        <Text style={styles.organizationName}>{organization.name}</Text>
        {organization.addressLines.map((line, i) => (
          <Text key={i} style={styles.muted}>
            {line}
          </Text>
        ))}
        {organization.email ? <Text style={styles.muted}>{organization.email}</Text> : null}
      </View>
      <View style={styles.titleBlock}>
        <Text style={styles.title}>{title}</Text>
        <Text style={styles.subtitle}>{subtitle}</Text>
        {mark ? <Text style={[styles.mark, { color: mark.color, borderColor: mark.color }]}>{mark.text}</Text> : null}
      </View>
    </View>
  );
}
