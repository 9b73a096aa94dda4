/**
 * GSMA RCC.07 rich card and suggestion JSON: the payload every RCS carrier family shares (CT/CU
 * and China Mobile MaaP carry it unchanged inside different envelopes). Types only; validation
 * against carrier limits lives with the renderer and the simulator.
 */

export type CardHeight = 'SHORT_HEIGHT' | 'MEDIUM_HEIGHT' | 'TALL_HEIGHT';
export type FontStyle = 'italics' | 'bold' | 'underline';

export interface CardMedia {
  mediaUrl: string;
  mediaContentType: string;
  mediaFileSize: number;
  height: CardHeight;
  thumbnailUrl?: string;
  thumbnailContentType?: string;
  thumbnailFileSize?: number;
  contentDescription?: string;
}

export interface CardContent {
  media?: CardMedia;
  title?: string;
  description?: string;
  suggestions?: Suggestion[];
}

export interface CardLayout {
  cardOrientation: 'VERTICAL' | 'HORIZONTAL';
  imageAlignment?: 'LEFT' | 'RIGHT';
  titleFontStyle?: FontStyle[];
  descriptionFontStyle?: FontStyle[];
  style?: string;
}

export interface StandaloneCard {
  generalPurposeCard: { layout: CardLayout; content: CardContent };
}

export interface CardCarousel {
  generalPurposeCardCarousel: {
    layout: { cardWidth: 'SMALL_WIDTH' | 'MEDIUM_WIDTH'; style?: string };
    content: CardContent[];
  };
}

/** The `application/vnd.gsma.botmessage.v1.0+json` document. */
export interface BotMessage {
  message: StandaloneCard | CardCarousel;
}

export interface Postback {
  data: string;
}

export type SuggestedAction =
  | { urlAction: { openUrl: { url: string; application?: 'browser' | 'webview'; viewMode?: 'full' | 'half' | 'tall' } } }
  | { dialerAction: { dialPhoneNumber: { phoneNumber: string } } }
  | {
      mapAction:
        | { showLocation: { location: { latitude: number; longitude: number; label?: string } | { query: string }; fallbackUrl?: string } }
        | { requestLocationPush: Record<string, never> };
    }
  | {
      calendarAction: {
        createCalendarEvent: { startTime: string; endTime: string; title: string; description?: string; fallbackUrl?: string };
      };
    }
  | { composeAction: { composeTextMessage: { phoneNumber: string; text: string } } }
  | { deviceAction: { requestDeviceSpecifics: Record<string, never> } };

export type Suggestion =
  | { reply: { displayText: string; postback: Postback } }
  | { action: SuggestedAction & { displayText: string; postback?: Postback } };

/** An entry of the chatbot's fixed menu: a button, or a sub-menu of buttons (two levels at most). */
export type MenuEntry = Suggestion | { menu: { displayText: string; entries: Suggestion[] } };

/** The fixed menu document the platform takes. */
export interface ChatbotMenu {
  menu: { entries: MenuEntry[] };
}
