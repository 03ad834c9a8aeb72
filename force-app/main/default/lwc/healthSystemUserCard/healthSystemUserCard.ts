import { LightningElement, api } from 'lwc';
import type { CardFact, CardItem, SystemUserCard } from 'c/healthDashboardModel';

const BADGE_CLASS: Record<CardItem['status'], string> = {
  PASS: 'slds-badge slds-theme_success',
  FAIL: 'slds-badge slds-theme_error',
  ERROR: 'slds-badge slds-theme_error',
  NOT_EVALUATED: 'slds-badge slds-badge_lightest',
  NONE: 'slds-badge slds-badge_lightest',
};

/** One system user: each property it needs, as its check found it. */
export default class HealthSystemUserCard extends LightningElement {
  @api card: SystemUserCard | null = null;

  get cardTitle(): string {
    return this.card?.role ?? '';
  }

  get iconName(): string {
    return this.card?.role === 'Security User' ? 'standard:user_role' : 'standard:user';
  }

  get subtitle(): string {
    if (!this.card) return '';
    return this.card.found ? this.card.username : `No ${this.card.role} found in this org.`;
  }

  get facts(): (CardFact & { valueKey: string })[] {
    // Each <dt> and <dd> needs a key of its own.
    return (this.card?.facts ?? []).map((fact) => ({ ...fact, valueKey: `${fact.key}-value` }));
  }

  get hasFacts(): boolean {
    return this.facts.length > 0;
  }

  get items(): (CardItem & { badgeClass: string; showDetail: boolean })[] {
    // A passed check needs no words; the others say what is wrong or unknown.
    return (this.card?.items ?? []).map((item) => ({
      ...item,
      badgeClass: BADGE_CLASS[item.status],
      showDetail: item.status !== 'PASS',
    }));
  }

  get failing(): number {
    return (this.card?.items ?? []).filter((i) => i.status === 'FAIL').length;
  }

  get summary(): string {
    const failing = this.failing;
    return failing === 0
      ? 'No failed checks'
      : `${failing} failed check${failing === 1 ? '' : 's'}`;
  }
}
