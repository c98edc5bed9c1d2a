import { Text, View } from "@react-pdf/renderer";
import type { DocumentContext } from "./context.ts";
import { styles } from "./styles.ts";

export interface TotalLine {
  label: string;
  minor: number;
  /** Drawn above a rule and in bold: the total, or what is left to pay. */
  emphasis?: boolean;
  ruled?: boolean;
}

/** Right-aligned under the amount column, so every figure ends on the same edge. */
export function Totals({ ctx, lines }: { ctx: DocumentContext; lines: TotalLine[] }) {
  return (
    <View style={styles.totals} wrap={false}>
      {lines.map((line) => {
        const style = { ...styles.totalRow, ...(line.ruled ? styles.totalRule : {}), ...(line.emphasis ? styles.grandRow : {}) };
        return (
          <View key={line.label} style={style}>
            <Text>{line.label}</Text>
            <Text>{ctx.format.money(line.minor)}</Text>
          </View>
        );
      })}
    </View>
  );
}
